# The benchmark's writer: on each TCP connection, N pwrite()s of one 4 KiB block each, first over
# blocks never written since the last fsync (the undo log saves a pre-image: one pread each),
# then over the same blocks again (already saved: no pread), and answers with the ns per write.
#   python3 writer.py PORT N
import os, socket, sys, time

port, n = int(sys.argv[1]), int(sys.argv[2])
path = os.path.join(os.environ["FAULTBOX_SERVICE_DIR"], "data")
block = b"x" * 4096
fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
os.ftruncate(fd, 4096 * n * 4)
os.fsync(fd)
round_no = 0

def timed(offsets):
    t = time.perf_counter_ns()
    for off in offsets:
        os.pwrite(fd, block, off)
    return (time.perf_counter_ns() - t) // len(offsets)

s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port))
s.listen(8)
while True:
    c, _ = s.accept()
    c.recv(16)  # the request: read it, so the close is not a reset
    base = (round_no % 4) * n * 4096
    round_no += 1
    offsets = [base + i * 4096 for i in range(n)]
    first = timed(offsets)
    again = timed(offsets)
    os.fsync(fd)  # the next round starts from a synced file
    c.sendall(b"%d %d" % (first, again))
    c.close()
