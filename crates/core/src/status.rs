//! Connection status bits, numbered as `enum ip_conntrack_status`
//! (`include/uapi/linux/netfilter/nf_conntrack_common.h`).

use core::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Status(u16);

impl Status {
    pub const EXPECTED: Status = Status(1 << 0);
    pub const SEEN_REPLY: Status = Status(1 << 1);
    pub const ASSURED: Status = Status(1 << 2);
    pub const CONFIRMED: Status = Status(1 << 3);
    pub const SRC_NAT: Status = Status(1 << 4);
    pub const DST_NAT: Status = Status(1 << 5);
    pub const SEQ_ADJUST: Status = Status(1 << 6);
    pub const SRC_NAT_DONE: Status = Status(1 << 7);
    pub const DST_NAT_DONE: Status = Status(1 << 8);
    pub const DYING: Status = Status(1 << 9);
    pub const FIXED_TIMEOUT: Status = Status(1 << 10);
    pub const TEMPLATE: Status = Status(1 << 11);
    pub const NAT_CLASH: Status = Status(1 << 12);
    pub const HELPER: Status = Status(1 << 13);
    pub const OFFLOAD: Status = Status(1 << 14);
    pub const HW_OFFLOAD: Status = Status(1 << 15);

    /// The bits packets.jsonl reports (`ctstatus`), in the kernel's order.
    pub const REPORTED: [(Status, &'static str); 3] = [
        (Status::SEEN_REPLY, "SEEN_REPLY"),
        (Status::ASSURED, "ASSURED"),
        (Status::EXPECTED, "EXPECTED"),
    ];

    const NAMES: [(Status, &'static str); 16] = [
        (Status::EXPECTED, "EXPECTED"),
        (Status::SEEN_REPLY, "SEEN_REPLY"),
        (Status::ASSURED, "ASSURED"),
        (Status::CONFIRMED, "CONFIRMED"),
        (Status::SRC_NAT, "SRC_NAT"),
        (Status::DST_NAT, "DST_NAT"),
        (Status::SEQ_ADJUST, "SEQ_ADJUST"),
        (Status::SRC_NAT_DONE, "SRC_NAT_DONE"),
        (Status::DST_NAT_DONE, "DST_NAT_DONE"),
        (Status::DYING, "DYING"),
        (Status::FIXED_TIMEOUT, "FIXED_TIMEOUT"),
        (Status::TEMPLATE, "TEMPLATE"),
        (Status::NAT_CLASH, "NAT_CLASH"),
        (Status::HELPER, "HELPER"),
        (Status::OFFLOAD, "OFFLOAD"),
        (Status::HW_OFFLOAD, "HW_OFFLOAD"),
    ];

    pub const fn empty() -> Status {
        Status(0)
    }

    /// The bits as the kernel's `unsigned long status` reads (its enum
    /// has 16 of them, `__IPS_MAX_BIT`).
    pub const fn bits(self) -> u32 {
        self.0 as u32
    }

    pub const fn contains(self, other: Status) -> bool {
        self.0 & other.0 == other.0
    }

    pub fn insert(&mut self, other: Status) {
        self.0 |= other.0;
    }

    pub fn remove(&mut self, other: Status) {
        self.0 &= !other.0;
    }

    /// `test_and_set_bit()`: set `bit`, returning whether it was already set.
    pub fn test_and_set(&mut self, bit: Status) -> bool {
        let was = self.contains(bit);
        self.insert(bit);
        was
    }

    /// Names of the bits packets.jsonl reports.
    pub fn reported_names(self) -> impl Iterator<Item = &'static str> {
        Status::REPORTED
            .into_iter()
            .filter(move |(b, _)| self.contains(*b))
            .map(|(_, n)| n)
    }

    pub fn from_name(name: &str) -> Option<Status> {
        Status::NAMES
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(b, _)| *b)
    }
}

impl core::ops::BitOr for Status {
    type Output = Status;

    fn bitor(self, o: Status) -> Status {
        Status(self.0 | o.0)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for (b, n) in Status::NAMES {
            if self.contains(b) {
                if !first {
                    f.write_str(",")?;
                }
                f.write_str(n)?;
                first = false;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_and_names() {
        let mut s = Status::empty();
        assert!(!s.test_and_set(Status::SEEN_REPLY));
        assert!(s.test_and_set(Status::SEEN_REPLY));
        s.insert(Status::ASSURED | Status::CONFIRMED);
        assert_eq!(s.bits(), 0b1110);
        assert_eq!(s.to_string(), "SEEN_REPLY,ASSURED,CONFIRMED");
        assert_eq!(
            s.reported_names().collect::<Vec<_>>(),
            vec!["SEEN_REPLY", "ASSURED"]
        );
        assert_eq!(Status::from_name("EXPECTED"), Some(Status::EXPECTED));
    }
}
