//! The SIP helper over UDP (`nf_conntrack_sip.c`, `sip_help_udp()`), with
//! the module's default parameters as knobs (`nf_conntrack_sip.*`).
//!
//! Ported from Linux 6.18 as the recordings' 6.18.44 runs it, that is with
//! the fixes of 2023-2026 that reached the stable kernels: the walk of
//! comma-separated headers from the absolute offset, "expires=" without a
//! number refused (-1), the CSeq "0" accepted, the method followed by a
//! space and a letter, and the bounded number and port parsers that
//! replaced `simple_strtoul()` (see [`parse`]).
//!
//! Every datagram with a payload refreshes the signalling entry to
//! `sip_timeout` (3600 s). A message of at least 11 bytes ("SIP/2.0 200")
//! is read as the kernel reads it:
//!
//! - requests (the method matched in any case, followed by a space and a
//!   letter) INVITE, UPDATE, ACK, PRACK, BYE and REGISTER need a CSeq;
//!   INVITE and BYE first remove the entry's media expectations, and the
//!   SDP of INVITE, UPDATE, ACK and PRACK announces media;
//! - responses ("SIP/2.0 " and a code) need a CSeq whose method is looked
//!   up: 1xx/2xx to INVITE, UPDATE and PRACK announce media, other answers
//!   with the last INVITE's CSeq remove the media expectations; answers to
//!   the last REGISTER activate or remove the signalling expectation.
//!
//! SDP (`process_sdp()`): the session's `c=` line and each media line
//! (`m=audio`, `m=video`, `m=image`, up to three that count) with its own
//! optional `c=` give a pair of expectations, RTP on the even port and
//! RTCP on the next, from the other signalling end (`sip_direct_media`,
//! which also requires the address to be the sender's own) or from
//! anywhere, registered with `NF_CT_EXP_F_SKIP_MASTER`. An identical pair
//! already expected by another SIP entry is not expected again.
//!
//! REGISTER (`process_register_request()`): a Contact with the sender's own
//! address and a non-zero expiry (Expires header or `expires=`) gives a
//! PERMANENT, INACTIVE signalling expectation from the registrar
//! (`sip_direct_signalling`) to the contact, whose connection gets the sip
//! helper; a 2xx answer activates it with its expiry as timeout, any other
//! final answer removes it.
//!
//! What the helper cannot parse it drops (`nf_ct_helper_log()`), with the
//! kernel's messages.
//!
//! Out of scope: SIP over TCP (`sip_help_tcp()`, messages delimited by
//! Content-Length; a helper in ctrack reads one protocol, so the rule
//! `sip:tcp/5060` is refused), the NAT hooks (`nf_nat_sip`: ctrack has no
//! NAT, so `forced_dport` and the direct-RTP optimisation never apply) and
//! `sip_external_media` (it needs a route lookup; ctrack behaves as if no
//! route were found, i.e. as with the parameter off).

mod parse;

use self::parse::{CONTACT, CSEQ, EXPIRES, Num, Sdp, Text, Uri, VIA_UDP, sdp_media_type};
use super::{HelpCtx, HelpData, HelpVerdict, Helper};
use crate::expect::{INACTIVE, NewExpect, PERMANENT, Policy, Refused};
use crate::status::Status;
use crate::sysctl::Sysctls;
use crate::time::secs;
use crate::tuple::{Addr, Tuple};
use crate::wire::ip_proto;

/// `enum sip_expectation_classes`.
const SIGNALLING: u8 = 0;

/// `struct nf_ct_sip_master`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SipState {
    /// CSeq of the last REGISTER that was accepted.
    register_cseq: u32,
    /// CSeq of the last INVITE whose SDP was accepted.
    invite_cseq: u32,
    /// The port a request's Via names when it is not the source port
    /// (only NAT reads it).
    forced_dport: u16,
}

/// A request handler of `sip_handlers[]`.
#[derive(Debug, Clone, Copy)]
enum Request {
    Invite,
    Sdp,
    Bye,
    Register,
}

/// A response handler of `sip_handlers[]`.
#[derive(Debug, Clone, Copy)]
enum Response {
    /// `process_invite_response()`, `process_update_response()`,
    /// `process_prack_response()` (all alike).
    Sdp,
    Register,
}

/// `sip_handlers[]`, in the kernel's order.
const HANDLERS: [(&[u8], Option<Request>, Option<Response>); 6] = [
    (b"INVITE", Some(Request::Invite), Some(Response::Sdp)),
    (b"UPDATE", Some(Request::Sdp), Some(Response::Sdp)),
    (b"ACK", Some(Request::Sdp), None),
    (b"PRACK", Some(Request::Sdp), Some(Response::Sdp)),
    (b"BYE", Some(Request::Bye), None),
    (
        b"REGISTER",
        Some(Request::Register),
        Some(Response::Register),
    ),
];

/// `Err` carries what `nf_ct_helper_log()` writes before `NF_DROP`.
type Verdict = Result<(), String>;

pub struct Sip;

impl Helper for Sip {
    fn name(&self) -> &'static str {
        "sip"
    }

    fn proto(&self) -> u8 {
        ip_proto::UDP
    }

    /// `sip_exp_policy[]`.
    fn policies(&self, _sysctl: &Sysctls) -> Vec<Policy> {
        let p = |max_expected, name| Policy {
            max_expected,
            timeout: 3 * 60,
            name,
        };
        vec![
            p(1, "signalling"),
            p(4, "audio"),
            p(4, "video"),
            p(2, "image"),
        ]
    }

    fn new_data(&self) -> HelpData {
        HelpData::Sip(SipState::default())
    }

    /// `sip_help_udp()`.
    fn help(&self, ctx: &mut HelpCtx<'_>) -> HelpVerdict {
        let pkt = ctx.pkt;
        let dataoff = ctx.protoff + 8;
        if dataoff >= pkt.len() {
            return HelpVerdict::Accept;
        }
        // nf_ct_refresh(ct, sip_timeout * HZ)
        if !ctx.conn.status.contains(Status::FIXED_TIMEOUT) {
            ctx.conn.expires = ctx.now + secs(ctx.sysctl.sip_timeout);
        }
        let d = &pkt[dataoff..];
        if d.len() < b"SIP/2.0 200".len() {
            return HelpVerdict::Accept;
        }
        let t = Text::new(d, ctx.family);
        let r = if t.ieq(0, b"SIP/2.0 ") {
            process_response(ctx, &t, d.len())
        } else {
            process_request(ctx, &t, d.len())
        };
        match r {
            Ok(()) => HelpVerdict::Accept,
            Err(msg) => HelpVerdict::Drop(msg),
        }
    }
}

fn state<'a>(ctx: &'a mut HelpCtx<'_>) -> Option<&'a mut SipState> {
    match ctx.conn.help_mut().map(|h| &mut h.data) {
        Some(HelpData::Sip(s)) => Some(s),
        _ => None,
    }
}

fn read_state(ctx: &mut HelpCtx<'_>) -> SipState {
    state(ctx).cloned().unwrap_or_default()
}

/// The CSeq number (`ct_sip_get_header(SIP_HDR_CSEQ)` and
/// `sip_strtouint()`), with the offset and length of its digits.
fn cseq(t: &Text<'_>, datalen: usize) -> Result<(u32, usize, usize), String> {
    let parse::Hit::Found { off, len } = t.get_header(0, datalen, &CSEQ) else {
        return Err("cannot parse cseq".into());
    };
    match t.strtouint(off, datalen - off) {
        (_, end) if end == off => Err("cannot get cseq".into()),
        (v, _) => Ok((v, off, len)),
    }
}

/// `process_sip_request()`.
fn process_request(ctx: &mut HelpCtx<'_>, t: &Text<'_>, datalen: usize) -> Verdict {
    let dir = ctx.dir();
    let own = ctx.tuple(dir);
    // The Via port of phones that listen elsewhere than they send from,
    // for NAT.
    if let Uri::Found { addr, port, .. } = t.parse_header_uri(None, datalen, &VIA_UDP, None)
        && port != own.src_u
        && addr == own.src
        && let Some(s) = state(ctx)
    {
        s.forced_dport = port;
    }
    for (method, request, _) in HANDLERS {
        let Some(request) = request else { continue };
        let len = method.len();
        if datalen < len + 2 || !t.ieq(0, method) {
            continue;
        }
        if t.b(len) != b' ' || !parse::is_alpha(t.b(len + 1)) {
            continue;
        }
        let (cseq, _, _) = cseq(t, datalen)?;
        ctx.note(|| {
            format!(
                "sip: {} request, CSeq {cseq}",
                String::from_utf8_lossy(method)
            )
        });
        return match request {
            Request::Invite => {
                flush_expectations(ctx, true);
                let r = process_sdp(ctx, t, datalen);
                if r.is_ok()
                    && let Some(s) = state(ctx)
                {
                    s.invite_cseq = cseq;
                }
                r
            }
            Request::Sdp => process_sdp(ctx, t, datalen),
            Request::Bye => {
                flush_expectations(ctx, true);
                Ok(())
            }
            Request::Register => process_register_request(ctx, t, datalen, cseq),
        };
    }
    Ok(())
}

/// `process_sip_response()`.
fn process_response(ctx: &mut HelpCtx<'_>, t: &Text<'_>, datalen: usize) -> Verdict {
    let skip = b"SIP/2.0 ".len();
    let (code, _) = t.strtouint(skip, datalen - skip);
    if code == 0 {
        return Err("cannot get code".into());
    }
    let (cseq, off, len) = cseq(t, datalen)?;
    let matchend = off + len + 1;
    for (method, _, response) in HANDLERS {
        let Some(response) = response else { continue };
        if datalen < matchend + method.len() || !t.ieq(matchend, method) {
            continue;
        }
        ctx.note(|| {
            format!(
                "sip: response {code} to {}, CSeq {cseq}",
                String::from_utf8_lossy(method)
            )
        });
        return match response {
            Response::Sdp => {
                if (100..=299).contains(&code) {
                    process_sdp(ctx, t, datalen)
                } else {
                    if read_state(ctx).invite_cseq == cseq {
                        flush_expectations(ctx, true);
                    }
                    Ok(())
                }
            }
            Response::Register => process_register_response(ctx, t, datalen, cseq, code),
        };
    }
    Ok(())
}

/// `flush_expectations()`: the media expectations, or the (only)
/// signalling one.
fn flush_expectations(ctx: &mut HelpCtx<'_>, media: bool) {
    let id = ctx.id;
    // The kernel stops after the first signalling expectation; a master
    // never has more than one (max_expected 1).
    let n = ctx
        .expect
        .remove_where(id, |e| (e.spec.class != SIGNALLING) == media);
    if n > 0 {
        ctx.note(|| {
            let what = if media { "media" } else { "signalling" };
            format!("sip: {n} {what} expectation(s) removed")
        });
    }
}

/// `process_sdp()`.
fn process_sdp(ctx: &mut HelpCtx<'_>, t: &Text<'_>, datalen: usize) -> Verdict {
    // The beginning of the session description.
    let parse::Hit::Found { off: sdpoff, .. } =
        t.get_sdp_header(0, datalen, Sdp::Version, Sdp::Unspec)
    else {
        return Ok(());
    };
    // The session's connection address, before the first media line.
    let caddr = t
        .parse_sdp_addr(sdpoff, datalen, Sdp::Connection, Sdp::Media)
        .ok()
        .flatten();
    let mut mediaoff = sdpoff;
    let mut i = 0;
    while i < parse::MEDIA_TYPES.len() {
        let parse::Hit::Found { off, len } =
            t.get_sdp_header(mediaoff, datalen, Sdp::Media, Sdp::Unspec)
        else {
            break;
        };
        mediaoff = off;
        let Some((class, tlen)) = sdp_media_type(t, off, len) else {
            mediaoff += len;
            continue;
        };
        mediaoff += tlen;
        // Port 0 is an inactive stream.
        let (port, end) = t.strtouint(mediaoff, datalen - mediaoff);
        if port == 0 || end == mediaoff {
            continue;
        }
        if !(1024..=65535).contains(&port) {
            return Err(format!("wrong port {port}"));
        }
        // The media's own c= line overrides the session's.
        let addr = match t.parse_sdp_addr(mediaoff, datalen, Sdp::Connection, Sdp::Media) {
            Ok(Some(a)) => a,
            _ => match caddr {
                Some(a) => a,
                None => return Err("cannot parse SDP message".into()),
            },
        };
        if !set_expected_rtp_rtcp(ctx, addr, port as u16, class) {
            return Err("cannot add expectation for voice".into());
        }
        i += 1;
    }
    Ok(())
}

/// `set_expected_rtp_rtcp()`: false is `NF_DROP`.
fn set_expected_rtp_rtcp(ctx: &mut HelpCtx<'_>, daddr: Addr, port: u16, class: u8) -> bool {
    let dir = ctx.dir();
    let family = ctx.family;
    let mut saddr = None;
    if ctx.sysctl.sip_direct_media != 0 {
        if daddr != ctx.tuple(dir).src {
            ctx.note(|| "sip: media address is not the sender's own: not expected".into());
            return true;
        }
        saddr = Some(ctx.tuple(dir.opposite()).src);
    }
    // Already expected, by another SIP entry (the same call seen on
    // several connections)? `__nf_ct_expect_find()` gives the newest
    // expectation the tuple would match, inactive ones included.
    let mut probe = Tuple::new(family, ip_proto::UDP, saddr.unwrap_or_default(), daddr);
    probe.dst_u = port;
    let id = ctx.id;
    let name = Sip.name();
    let other = ctx
        .expect
        .iter()
        .filter(|e| e.matches(family, ip_proto::UDP, probe.src, daddr, 0, port))
        .last()
        .is_some_and(|e| e.master != id && e.helper == name && e.spec.class == class);
    if other {
        ctx.note(|| "sip: media already expected by another SIP connection".into());
        return true;
    }
    let base = port & !1;
    let exp = |p| NewExpect::new(class, family, saddr, daddr, ip_proto::UDP, None, p);
    // -EALREADY (the same pair with another class or master) counts as
    // done.
    let rtp = ctx.expect_related_flags(exp(base), true);
    if !matches!(rtp, Ok(()) | Err(Refused::Already)) {
        return false;
    }
    match ctx.expect_related_flags(exp(base + 1), true) {
        Ok(()) | Err(Refused::Already) => true,
        Err(_) => {
            if rtp.is_ok() {
                // nf_ct_unexpect_related(rtp_exp): the newest on that
                // destination, just inserted.
                probe.dst_u = base;
                ctx.expect.unexpect(&probe);
            }
            false
        }
    }
}

/// `process_register_request()`.
fn process_register_request(
    ctx: &mut HelpCtx<'_>,
    t: &Text<'_>,
    datalen: usize,
    cseq: u32,
) -> Verdict {
    // Expected connections cannot register again.
    if ctx.conn.status.contains(Status::EXPECTED) {
        return Ok(());
    }
    // An expiry of 0 releases the binding: nothing is expected.
    let mut expires = 0;
    if let parse::Hit::Found { off, .. } = t.get_header(0, datalen, &EXPIRES) {
        expires = t.strtouint(off, datalen - off).0;
    }
    let (off, len, daddr, port) = match t.parse_header_uri(None, datalen, &CONTACT, None) {
        Uri::Found {
            off,
            len,
            addr,
            port,
        } => (off, len, addr, port),
        Uri::None => return Ok(()),
        Uri::Bad => return Err("cannot parse contact".into()),
    };
    let dir = ctx.dir();
    // No third-party registrations.
    if ctx.tuple(dir).src != daddr {
        ctx.note(|| "sip: REGISTER for another address: nothing expected".into());
        return Ok(());
    }
    let Some(proto) = t.parse_transport(off + len, datalen, ip_proto::UDP) else {
        return Ok(());
    };
    match t.numerical_param(off + len, datalen, b"expires=") {
        Num::Bad => return Err("cannot parse expires".into()),
        Num::Found(v) => expires = v,
        Num::None => {}
    }
    if expires != 0 {
        let saddr = (ctx.sysctl.sip_direct_signalling != 0).then(|| ctx.tuple(dir.opposite()).src);
        let mut exp = NewExpect::new(SIGNALLING, ctx.family, saddr, daddr, proto, None, port);
        exp.flags = PERMANENT | INACTIVE;
        exp.child_helper = Some(Sip.name());
        if ctx.expect_related(exp).is_err() {
            return Err("cannot add expectation".into());
        }
    }
    if let Some(s) = state(ctx) {
        s.register_cseq = cseq;
    }
    Ok(())
}

/// `process_register_response()`.
fn process_register_response(
    ctx: &mut HelpCtx<'_>,
    t: &Text<'_>,
    datalen: usize,
    cseq: u32,
    code: u32,
) -> Verdict {
    // Only the answer to the last REGISTER (servers send late ones).
    if read_state(ctx).register_cseq != cseq || (100..=199).contains(&code) {
        return Ok(());
    }
    if (200..=299).contains(&code) {
        let mut expires = 0;
        if let parse::Hit::Found { off, .. } = t.get_header(0, datalen, &EXPIRES) {
            expires = t.strtouint(off, datalen - off).0;
        }
        let dir = ctx.dir();
        let mut coff = 0;
        let mut in_contact = false;
        loop {
            let mut c_expires = expires;
            let before = coff;
            let (off, len, addr, port) =
                match t.parse_header_uri(Some(&mut coff), datalen, &CONTACT, Some(&mut in_contact))
                {
                    Uri::Found {
                        off,
                        len,
                        addr,
                        port,
                    } => (off, len, addr, port),
                    Uri::None => break,
                    Uri::Bad => return Err("cannot parse contact".into()),
                };
            if coff <= before {
                // Cannot happen (the offset is past the address); never
                // loop on it.
                break;
            }
            // No third-party registrations.
            if ctx.tuple(dir).dst != addr {
                continue;
            }
            let Some(proto) = t.parse_transport(off + len, datalen, ip_proto::UDP) else {
                continue;
            };
            match t.numerical_param(off + len, datalen, b"expires=") {
                Num::Bad => return Err("cannot parse expires".into()),
                Num::Found(v) => c_expires = v,
                Num::None => {}
            }
            if c_expires == 0 {
                break;
            }
            // refresh_signalling_expectation()
            let when = ctx.now + secs(c_expires);
            let found = ctx.expect.retime_first(
                ctx.id,
                |e| {
                    e.spec.class == SIGNALLING
                        && e.spec.dst == addr
                        && e.spec.proto == proto
                        && e.spec.dport == port
                },
                when,
                INACTIVE,
            );
            if found {
                ctx.note(|| {
                    format!("sip: registration accepted: signalling expectation active for {c_expires} s")
                });
                return Ok(());
            }
        }
    }
    flush_expectations(ctx, false);
    Ok(())
}

#[cfg(test)]
mod tests;
