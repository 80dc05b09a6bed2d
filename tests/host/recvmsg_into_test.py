# socket.recvmsg_into, which the host lacks (trio, and so pyfuse3, need it).
import socket, array
a, b = socket.socketpair()
a.sendall(b"hello world!")
buf1, buf2 = bytearray(5), memoryview(bytearray(20))
n, anc, flags, addr = b.recvmsg_into([buf1, buf2])
print(n, anc, flags, addr, bytes(buf1), bytes(buf2[:n - 5]))
a.sendall(b"xyz")
arr = array.array("b", [0] * 4)
print(b.recvmsg_into([arr], 0, 0)[0], arr.tolist())
try:
    b.recvmsg_into([b"readonly"])
except TypeError as e:
    print("TypeError")
try:
    b.recvmsg_into(5)
except TypeError as e:
    print("TypeError", e)
