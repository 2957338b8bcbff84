//! Conntrack zones (`struct nf_conntrack_zone`): separate tables inside one
//! namespace, for overlapping address spaces. A zone applies to both
//! directions of an entry (`-j CT --zone N`) or to one only
//! (`--zone-orig N`, `--zone-reply N`): a tuple of the other direction is
//! then in the default zone 0. Lookups and hashing use the zone id of the
//! direction the tuple has (`nf_ct_zone_id()`), so the reply of a
//! `--zone-reply 10` entry is found only by a packet looked up in zone 10.

use crate::ctinfo::Direction;
use core::fmt;

/// A zone id and the directions it applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Zone {
    pub id: u16,
    dirs: u8,
}

const ORIG: u8 = 1;
const REPLY: u8 = 2;
const BOTH: u8 = ORIG | REPLY;

impl Default for Zone {
    fn default() -> Self {
        Zone::DEFAULT
    }
}

impl Zone {
    /// Zone 0 in both directions: where every packet without a template is.
    pub const DEFAULT: Zone = Zone { id: 0, dirs: BOTH };

    /// `--zone N`.
    pub const fn both(id: u16) -> Zone {
        Zone { id, dirs: BOTH }
    }

    /// `--zone-orig N`.
    pub const fn orig(id: u16) -> Zone {
        Zone { id, dirs: ORIG }
    }

    /// `--zone-reply N`.
    pub const fn reply(id: u16) -> Zone {
        Zone { id, dirs: REPLY }
    }

    /// The id tuples of direction `dir` are hashed and compared with
    /// (`nf_ct_zone_id()`).
    pub fn id_for(self, dir: Direction) -> u16 {
        let bit = match dir {
            Direction::Original => ORIG,
            Direction::Reply => REPLY,
        };
        if self.dirs & bit != 0 { self.id } else { 0 }
    }

    /// Whether the zone applies to both directions.
    pub fn is_bidirectional(self) -> bool {
        self.dirs == BOTH
    }

    /// The one direction it applies to, for a directional zone.
    pub fn only(self) -> Option<Direction> {
        match self.dirs {
            ORIG => Some(Direction::Original),
            REPLY => Some(Direction::Reply),
            _ => None,
        }
    }

    /// What the kernel prints after the tuple of `dir` (`zone-orig=8 `,
    /// `zone-reply=10 `), when the zone is that direction's alone.
    pub fn tuple_suffix(self, dir: Direction) -> Option<String> {
        (self.only() == Some(dir)).then(|| match dir {
            Direction::Original => format!("zone-orig={} ", self.id),
            Direction::Reply => format!("zone-reply={} ", self.id),
        })
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.only() {
            None => write!(f, "{}", self.id),
            Some(Direction::Original) => write!(f, "{} (original direction)", self.id),
            Some(Direction::Reply) => write!(f, "{} (reply direction)", self.id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directional_zones_leave_the_other_direction_in_zone_0() {
        assert_eq!(Zone::both(7).id_for(Direction::Original), 7);
        assert_eq!(Zone::both(7).id_for(Direction::Reply), 7);
        assert_eq!(Zone::orig(8).id_for(Direction::Original), 8);
        assert_eq!(Zone::orig(8).id_for(Direction::Reply), 0);
        assert_eq!(Zone::reply(10).id_for(Direction::Original), 0);
        assert_eq!(Zone::reply(10).id_for(Direction::Reply), 10);
        assert_eq!(Zone::default(), Zone::both(0));
        assert_eq!(
            Zone::orig(8).tuple_suffix(Direction::Original).as_deref(),
            Some("zone-orig=8 ")
        );
        assert_eq!(Zone::orig(8).tuple_suffix(Direction::Reply), None);
        assert_eq!(Zone::both(7).tuple_suffix(Direction::Original), None);
    }
}
