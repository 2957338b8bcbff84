"""SCTP: the heartbeat vtag re-learning logic (SCTP_FLAG_HEARTBEAT_VTAG_FAILED).
A HEARTBEAT whose vtag differs from the known one is let through without
refreshing the entry and sets a flag; a HEARTBEAT_ACK with a new vtag from
the other direction then replaces that direction's tag and CLEARS the tag of
the HEARTBEAT's direction (0), to be learnt from the next HEARTBEAT. Packets
with a HEARTBEAT chunk skip the general tag check, so bundles are judged
chunk by chunk. A = 192.0.2.1:5501 (tag 0x0a0a0501), B = 198.51.100.2:5501
(tag 0x0b0b0501); "restarted" tags 0x0a0aaaaa / 0x0b0bbbbb. Default sysctls.

 f1-f4   handshake                          ... ESTABLISHED, ASSURED
 f5      A HEARTBEAT vtag 0x0b0bbbbb (not B's tag)   ESTABLISHED (accepted, not refreshed)
 f6      A DATA vtag 0x0b0bbbbb             INVALID "verification tag check failed
                                            bbbb0b0b vs 1050b0b for dir 0"
 f7      B HEARTBEAT_ACK vtag 0x0a0aaaaa    ESTABLISHED/REPLY (REPLY tag := 0x0a0aaaaa,
                                            ORIGINAL tag := 0)
 f8      A DATA vtag 0x0b0bbbbb             INVALID "... failed bbbb0b0b vs 0 for dir 0"
                                            (the HEARTBEAT's tag was not kept)
 f9      B DATA vtag 0x0a0aaaaa             ESTABLISHED/REPLY
 f10     B DATA vtag 0                      INVALID "... failed 0 vs aaaa0a0a for dir 1"
 f11     A HEARTBEAT vtag 0x0b0bbbbb        ESTABLISHED (ORIGINAL tag was 0: learnt)
 f12     A DATA vtag 0x0b0bbbbb             ESTABLISHED
 f13     B HEARTBEAT vtag 0x0a0acccc        ESTABLISHED/REPLY (mismatch: flag set, not
                                            refreshed, tag not changed)
 f14     B DATA vtag 0x0a0acccc             INVALID "... failed cccc0a0a vs aaaa0a0a for dir 1"
 f15     A DATA + HEARTBEAT, old vtag 0x0b0b0501   INVALID, no reason (DATA in a packet
                                            whose HEARTBEAT tag mismatches)
 f16     A SACK + HEARTBEAT, old vtag       ESTABLISHED (accepted without refresh)
 f17     A SHUTDOWN + HEARTBEAT, old vtag, 1.5 s later
                                            ESTABLISHED, state SHUTDOWN_SENT, but the
                                            timeout is NOT refreshed: event "timeout 208"
                                            (what is left of the 210 s set by f12, not
                                            SHUTDOWN_SENT's 3 s)
"""
from common import Capture
from common_l4 import Sctp, c_data, c_heartbeat, c_sack, c_shutdown

cap = Capture()
s = Sctp(cap, sport=5501, dport=5501, tag_a=0x0A0A0501, tag_b=0x0B0B0501)
s.handshake()
s.heartbeat("a", vtag=0x0B0BBBBB)
s.data("a", b"new tag", vtag=0x0B0BBBBB)
s.heartbeat_ack("b", vtag=0x0A0AAAAA)
s.data("a", b"new tag", vtag=0x0B0BBBBB)
s.data("b", b"new tag", vtag=0x0A0AAAAA)
s.data("b", b"zero tag", vtag=0)
s.heartbeat("a", vtag=0x0B0BBBBB)
s.data("a", b"learnt", vtag=0x0B0BBBBB)
s.heartbeat("b", vtag=0x0A0ACCCC)
s.data("b", b"not learnt", vtag=0x0A0ACCCC)
s.send("a", c_data(s.tsn["a"], b"x") + c_heartbeat(), vtag=0x0B0B0501)
s.send("a", c_sack(s.tsn["b"] - 1) + c_heartbeat(), vtag=0x0B0B0501)
s.send("a", c_shutdown(s.tsn["b"] - 1) + c_heartbeat(), vtag=0x0B0B0501, gap=1.5)
cap.write("sctp-heartbeat-vtag.pcap")
