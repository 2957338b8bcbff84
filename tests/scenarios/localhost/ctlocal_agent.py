"""Services and clients of the local-host harness, run inside a namespace.

  python3 ctlocal_agent.py ACTION JSON-ARGS

Servers (run until SIGTERM; they create args["ready"] once listening):
  tcp-server  {addr, port, reply, ready}   accept; read one request; wait 0.1 s;
                                           send the reply; wait 0.1 s; close
  udp-echo    {addr, port, ready}          send every datagram back
  ftp-server  {addr, port, ready}          a minimal active-mode FTP server (USER,
                                           PORT, LIST, QUIT) for the helper scenario
Clients (print one JSON line: what the application saw, then exit):
  tcp   {dst, port, sport, send, timeout}  connect (from sport), send, read to
                                           EOF, wait 0.3 s, close
  udp   {dst, port, sport, send, timeout}  connected UDP socket: send, wait for
                                           a reply or an ICMP-reported error
  ping  {dst, ident, seq, timeout, ttl}    one ICMP/ICMPv6 echo request (raw socket)
  ftp-active {dst, sport, dataport, timeout}  USER, PORT, LIST over an active
                                           data connection, QUIT
Every address given is one of the harness' own namespaces (see ctlocal.py).
"""
import errno
import json
import select
import signal
import socket
import struct
import sys
import time


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def errname(exc):
    if isinstance(exc, socket.timeout):
        return "timeout"
    if isinstance(exc, OSError) and exc.errno:
        return errno.errorcode.get(exc.errno, str(exc.errno))
    return type(exc).__name__


def ready(args):
    if args.get("ready"):
        open(args["ready"], "w").close()


def stop_on_term():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))


# ------------------------------------------------------------------ servers --

def tcp_server(args):
    stop_on_term()
    s = socket.socket(family(args["addr"]), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((args["addr"], args["port"]))
    s.listen(16)
    ready(args)
    reply = args.get("reply", "HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello").encode()
    while True:
        c, _ = s.accept()
        c.settimeout(5)
        try:
            c.recv(4096)
            time.sleep(0.1)
            c.sendall(reply)
            time.sleep(0.1)
        except OSError:
            pass
        c.close()


def udp_echo(args):
    stop_on_term()
    s = socket.socket(family(args["addr"]), socket.SOCK_DGRAM)
    s.bind((args["addr"], args["port"]))
    ready(args)
    while True:
        data, peer = s.recvfrom(65535)
        s.sendto(data, peer)


def ftp_server(args):
    """Just enough of an active-mode FTP server: the data connection goes
    from port 20 to the address/port the client's PORT command gave."""
    stop_on_term()
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((args["addr"], args["port"]))
    s.listen(4)
    ready(args)
    while True:
        c, _ = s.accept()
        c.settimeout(10)
        f = c.makefile("rb")
        port_to = None
        try:
            c.sendall(b"220 ctlocal ftp\r\n")
            for line in f:
                cmd = line.strip().decode(errors="replace")
                verb = cmd.split(" ", 1)[0].upper()
                if verb == "USER":
                    c.sendall(b"230 logged in\r\n")
                elif verb == "PORT":
                    n = [int(x) for x in cmd.split(" ", 1)[1].split(",")]
                    port_to = (".".join(map(str, n[:4])), n[4] * 256 + n[5])
                    c.sendall(b"200 PORT ok\r\n")
                elif verb == "LIST" and port_to:
                    c.sendall(b"150 here it comes\r\n")
                    d = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                    d.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                    d.bind((args["addr"], 20))
                    d.settimeout(3)
                    try:
                        d.connect(port_to)
                        time.sleep(0.1)
                        d.sendall(b"-rw-r--r-- 1 ftp ftp 5 file.txt\r\n")
                        time.sleep(0.1)
                        d.close()
                        time.sleep(0.3)
                        c.sendall(b"226 done\r\n")
                    except OSError as exc:
                        d.close()
                        c.sendall(f"425 {errname(exc)}\r\n".encode())
                elif verb == "QUIT":
                    c.sendall(b"221 bye\r\n")
                    break
                else:
                    c.sendall(b"502 no\r\n")
        except OSError:
            pass
        time.sleep(0.1)
        c.close()


# ------------------------------------------------------------------ clients --

def tcp_client(args):
    res = {"action": "tcp", "dst": args["dst"], "port": args["port"]}
    s = socket.socket(family(args["dst"]), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if args.get("sport"):
        s.bind((args.get("src", ""), args["sport"]))
    s.settimeout(args.get("timeout", 3))
    t0 = time.monotonic()
    try:
        s.connect((args["dst"], args["port"]))
    except OSError as exc:
        res["connect"] = errname(exc)
        res["after_s"] = round(time.monotonic() - t0, 1)
        s.close()
        return res
    res["connect"] = "ok"
    time.sleep(0.1)
    got = b""
    try:
        s.sendall(args.get("send", "GET / HTTP/1.0\r\n\r\n").encode())
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            got += chunk
        res["result"] = "eof"
    except OSError as exc:
        res["result"] = errname(exc)
    res["received"] = len(got)
    time.sleep(0.3)
    s.close()
    return res


def udp_client(args):
    res = {"action": "udp", "dst": args["dst"], "port": args["port"]}
    s = socket.socket(family(args["dst"]), socket.SOCK_DGRAM)
    if args.get("sport"):
        s.bind((args.get("src", ""), args["sport"]))
    s.settimeout(args.get("timeout", 1))
    try:
        s.connect((args["dst"], args["port"]))
        s.send(args.get("send", "hello").encode())
        res["send"] = "ok"
    except OSError as exc:
        res["send"] = errname(exc)
        s.close()
        return res
    try:
        data = s.recv(65535)
        res["result"] = "reply"
        res["received"] = len(data)
    except OSError as exc:
        res["result"] = errname(exc)
    s.close()
    return res


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f">{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ping(args):
    dst = args["dst"]
    ident, seq = args.get("ident", 0x4242), args.get("seq", 1)
    payload = args.get("payload", "ctlocal-ping").encode()
    res = {"action": "ping", "dst": dst, "ident": ident}
    if ":" in dst:
        s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
        msg = struct.pack(">BBHHH", 128, 0, 0, ident, seq) + payload   # kernel fills the checksum
        want = 129
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
        msg = struct.pack(">BBHHH", 8, 0, 0, ident, seq) + payload
        msg = msg[:2] + struct.pack(">H", csum(msg)) + msg[4:]
        want = 0
    if args.get("ttl"):
        if ":" in dst:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, args["ttl"])
        else:
            s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, args["ttl"])
    try:
        s.sendto(msg, (dst, 0))
    except OSError as exc:
        res["send"] = errname(exc)
        return res
    res["send"] = "ok"
    deadline = time.monotonic() + args.get("timeout", 1)
    res["result"] = "timeout"
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([s], [], [], left)[0]:
            break
        data = s.recv(65535)
        icmp = data if ":" in dst else data[(data[0] & 15) * 4:]
        if len(icmp) >= 8:
            typ, _code, _c, rid, _rseq = struct.unpack(">BBHHH", icmp[:8])
            if typ == want and rid == ident:
                res["result"] = "reply"
                break
            if typ in (3, 1, 11, 4):
                res["result"] = f"icmp-error type {typ}"
                break
    s.close()
    return res


def ftp_active(args):
    """Client side of active FTP: control from sport to dst:21, a listening
    data socket on dataport, PORT, LIST, then QUIT."""
    res = {"action": "ftp-active", "dst": args["dst"]}
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    c.bind((args["src"], args["sport"]))
    c.settimeout(args.get("timeout", 3))
    lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind((args["src"], args["dataport"]))
    lst.listen(1)
    lst.settimeout(args.get("timeout", 3))
    f = None
    try:
        c.connect((args["dst"], args.get("port", 21)))
        f = c.makefile("rb")
        res["banner"] = f.readline().decode().strip()
        time.sleep(0.2)
        c.sendall(b"USER anonymous\r\n")
        res["user"] = f.readline().decode().strip()
        time.sleep(0.2)
        a = args["src"].split(".")
        p = args["dataport"]
        c.sendall(f"PORT {','.join(a)},{p >> 8},{p & 255}\r\n".encode())
        res["port"] = f.readline().decode().strip()
        time.sleep(0.2)
        c.sendall(b"LIST\r\n")
        res["list"] = f.readline().decode().strip()
        try:
            d, _ = lst.accept()
            data = b""
            while True:
                chunk = d.recv(4096)
                if not chunk:
                    break
                data += chunk
            res["data"] = len(data)
            time.sleep(0.2)
            d.close()
        except OSError as exc:
            res["data"] = errname(exc)
        res["done"] = f.readline().decode().strip()
        time.sleep(0.2)
        c.sendall(b"QUIT\r\n")
        res["quit"] = f.readline().decode().strip()
        time.sleep(0.3)
    except OSError as exc:
        res["error"] = errname(exc)
    lst.close()
    c.close()
    return res


SERVERS = {"tcp-server": tcp_server, "udp-echo": udp_echo, "ftp-server": ftp_server}
CLIENTS = {"tcp": tcp_client, "udp": udp_client, "ping": ping, "ftp-active": ftp_active}

if __name__ == "__main__":
    action, args = sys.argv[1], json.loads(sys.argv[2])
    if action in SERVERS:
        SERVERS[action](args)
    else:
        print(json.dumps(CLIENTS[action](args)), flush=True)
