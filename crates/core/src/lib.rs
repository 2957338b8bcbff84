//! ctrack-core: Linux netfilter connection tracking (`nf_conntrack`) as a
//! sans-I/O library.
//!
//! Feed [`Conntrack::process`] the network-layer bytes of each packet with
//! its timestamp; it returns the [`Verdict`] the kernel would give (NEW,
//! ESTABLISHED, RELATED, INVALID, UNTRACKED, or no verdict with the reason)
//! and keeps the connection table as the kernel does. No clocks, threads,
//! files or sockets inside: capture files, live capture and NFQUEUE are the
//! callers' business.
//!
//! Module map, beside the kernel files each one mirrors:
//!
//! | module | kernel |
//! |---|---|
//! | [`wire`] | header layouts (`include/uapi/linux/*.h`) |
//! | [`validate`] | `br_netfilter_hooks.c`, `br_netfilter_ipv6.c` (`ip_rcv` checks) |
//! | [`defrag`] | `ip_fragment.c`, `inet_fragment.c`, `nf_conntrack_reasm.c` |
//! | [`tracker`] | `nf_conntrack_core.c` (`nf_conntrack_in`, confirm) |
//! | [`table`] | the conntrack hash table and its garbage collection |
//! | [`proto`] | `nf_conntrack_proto_*.c`, one file per protocol |
//! | [`procfs`] | `nf_conntrack_standalone.c` (`/proc/net/nf_conntrack`) |
//! | [`sysctl`] | the `net.netfilter.nf_conntrack_*` knobs |

pub mod conn;
pub mod conntrack_tools;
pub mod ctinfo;
pub mod defrag;
pub mod event;
pub mod expect;
pub mod gre_keymap;
pub mod helper;
pub mod hooks;
pub mod procfs;
pub mod proto;
pub mod reason;
pub mod stats;
pub mod status;
pub mod sysctl;
pub mod table;
pub mod time;
pub mod trace;
pub mod tracker;
pub mod tuple;
pub mod validate;
pub mod wire;
pub mod zone;

pub use conn::Conn;
pub use ctinfo::{CtState, Direction};
pub use reason::Reason;
pub use status::Status;
pub use sysctl::Sysctls;
pub use time::Timestamp;
pub use tracker::{Conntrack, Options, Verdict};
pub use tuple::{Family, Tuple};
pub use zone::Zone;
