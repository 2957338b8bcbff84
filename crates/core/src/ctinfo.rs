//! Packet classification: `enum ip_conntrack_info` split into the state
//! iptables matches (`-m conntrack --ctstate`) and the direction.

use core::fmt;

/// The conntrack state of a packet, as `--ctstate` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CtState {
    New,
    Established,
    Related,
    Invalid,
    Untracked,
}

impl CtState {
    pub fn name(self) -> &'static str {
        match self {
            CtState::New => "NEW",
            CtState::Established => "ESTABLISHED",
            CtState::Related => "RELATED",
            CtState::Invalid => "INVALID",
            CtState::Untracked => "UNTRACKED",
        }
    }

    pub fn from_name(s: &str) -> Option<CtState> {
        Some(match s {
            "NEW" => CtState::New,
            "ESTABLISHED" => CtState::Established,
            "RELATED" => CtState::Related,
            "INVALID" => CtState::Invalid,
            "UNTRACKED" => CtState::Untracked,
            _ => return None,
        })
    }
}

impl fmt::Display for CtState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `enum ip_conntrack_dir`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Direction {
    Original = 0,
    Reply = 1,
}

impl Direction {
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn opposite(self) -> Direction {
        match self {
            Direction::Original => Direction::Reply,
            Direction::Reply => Direction::Original,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Direction::Original => "ORIGINAL",
            Direction::Reply => "REPLY",
        }
    }

    pub fn from_name(s: &str) -> Option<Direction> {
        match s {
            "ORIGINAL" => Some(Direction::Original),
            "REPLY" => Some(Direction::Reply),
            _ => None,
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `enum ip_conntrack_info` for a packet that has an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CtInfo {
    /// IP_CT_ESTABLISHED / IP_CT_ESTABLISHED_REPLY.
    Established(Direction),
    /// IP_CT_RELATED / IP_CT_RELATED_REPLY.
    Related(Direction),
    /// IP_CT_NEW (always original direction).
    New,
}

impl CtInfo {
    pub fn direction(self) -> Direction {
        match self {
            CtInfo::Established(d) | CtInfo::Related(d) => d,
            CtInfo::New => Direction::Original,
        }
    }

    pub fn state(self) -> CtState {
        match self {
            CtInfo::Established(_) => CtState::Established,
            CtInfo::Related(_) => CtState::Related,
            CtInfo::New => CtState::New,
        }
    }
}
