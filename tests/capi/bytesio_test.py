# C reading and advancing io.BytesIO's struct (buf, pos, string_size), as
# Apache Thrift's fastbinary decoder does.
import io
import bytesio_ext as m
b = io.BytesIO(b"hello world")
b.read(2)
print(m.peek(b))                 # (b'llo world', 2, 11)
m.advance(b, 3)
print(b.tell(), b.read())        # 5 b' world'
b.write(b"!!")
print(m.peek(b))                 # (b'', 13, 13)
b.seek(0)
print(m.peek(b))                 # (b'hello world!!', 0, 13)
class Sub(io.BytesIO):
    pass
s = Sub(b"abc")
m.advance(s, 1)
print(s.read())                  # b'bc'
# A writer handed to C again and again: at the end there is nothing to read.
w = io.BytesIO()
for i in range(3):
    w.write(b"record %d;" % i)
    print(m.peek(w))             # (b'', 9, 9) ...
w.seek(0)
print(m.peek(w))                 # the whole text
w.seek(40)
print(m.peek(w), w.read())       # past the end: (b'', 40, 27) b''
c = io.BytesIO(b"x")
c.close()
print(m.peek(c)[0])              # buf is not bytes (CPython clears buf on close)
print("DONE")
