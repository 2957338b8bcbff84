"""Traffic for formats.sh (run inside its namespaces; python3 standard library only).

  formats_peer.py server READYFILE     (in ctf-b: UDP/UDP-Lite echo, TCP accept)
  formats_peer.py client               (in ctf-a: one exchange of each kind)

Addresses are those formats.sh gives the two namespaces (192.0.2.1/.2,
2001:db8::1/::2); nothing is sent anywhere else. The server runs until it is
killed (formats.sh kills it by PID); the client exits when done.
"""
import os
import select
import socket
import struct
import sys
import time

A4, B4 = "192.0.2.1", "192.0.2.2"
A6, B6 = "2001:db8::1", "2001:db8::2"
UDP_PORT, LITE_PORT, TCP_PORT, CLOSED_PORT = 9001, 9002, 9003, 9999


def server(ready):
    socks = []
    for fam, addr in ((socket.AF_INET, B4), (socket.AF_INET6, B6)):
        s = socket.socket(fam, socket.SOCK_DGRAM)
        s.bind((addr, UDP_PORT))
        socks.append(s)
    lite = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDPLITE)
    lite.bind((B4, LITE_PORT))
    socks.append(lite)
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind((B4, TCP_PORT))
    tcp.listen(4)
    socks.append(tcp)
    open(ready, "w").close()
    while True:
        r, _, _ = select.select(socks, [], [], 1.0)
        for s in r:
            if s is tcp:
                c, _ = tcp.accept()
                c.settimeout(2)
                try:
                    data = c.recv(100)
                    c.sendall(b"echo:" + data)
                finally:
                    c.close()
            else:
                data, peer = s.recvfrom(2048)
                s.sendto(b"echo:" + data, peer)


def checksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack(f">{len(b) // 2}H", b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def udp_exchange(fam, dst, port, proto=0, msg=b"hello"):
    s = socket.socket(fam, socket.SOCK_DGRAM, proto)
    s.settimeout(2)
    s.sendto(msg, (dst, port))
    try:
        return s.recvfrom(2048)[0]
    finally:
        s.close()


def client():
    # UDP IPv4: exchange, then again after 2.5 s (stream_ts passed: ASSURED)
    u4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u4.bind((A4, 40001))
    u4.settimeout(2)
    u4.sendto(b"first", (B4, UDP_PORT))
    u4.recvfrom(100)
    # UDP IPv4 unreplied-looking: to a closed port (B answers port unreachable)
    udp_exchange_noreply = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp_exchange_noreply.bind((A4, 40002))
    udp_exchange_noreply.sendto(b"anyone?", (B4, CLOSED_PORT))
    # UDP IPv6 exchange
    udp_exchange(socket.AF_INET6, B6, UDP_PORT, msg=b"hello6")
    # UDP-Lite IPv4 exchange
    udp_exchange(socket.AF_INET, B4, LITE_PORT, socket.IPPROTO_UDPLITE, b"lite")
    # ICMP echo (B's kernel answers)
    ic = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    msg = struct.pack(">BBHHH", 8, 0, 0, 0x4242, 1) + b"formats"
    msg = msg[:2] + struct.pack(">H", checksum(msg)) + msg[4:]
    ic.sendto(msg, (B4, 0))
    ic.settimeout(2)
    ic.recvfrom(200)
    # ICMPv6 echo (the kernel fills in the ICMPv6 checksum of raw sockets)
    ic6 = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    ic6.sendto(struct.pack(">BBHHH", 128, 0, 0, 0x4343, 1) + b"formats6", (B6, 0))
    ic6.settimeout(2)
    ic6.recvfrom(200)
    # generic protocol 253 (one way) and GREv0 (one way)
    g = socket.socket(socket.AF_INET, socket.SOCK_RAW, 253)
    g.sendto(b"experimental", (B4, 0))
    gre = socket.socket(socket.AF_INET, socket.SOCK_RAW, 47)
    gre.sendto(struct.pack(">HH", 0, 0x0800) + bytes(20), (B4, 0))
    # TCP: connect, exchange, close (leaves a TIME_WAIT entry)
    t = socket.create_connection((B4, TCP_PORT), timeout=2)
    t.sendall(b"tcp")
    t.recv(100)
    t.close()
    time.sleep(2.5)
    u4.sendto(b"second", (B4, UDP_PORT))
    u4.recvfrom(100)
    time.sleep(0.2)


if __name__ == "__main__":
    if sys.argv[1] == "server":
        server(sys.argv[2])
    else:
        client()

