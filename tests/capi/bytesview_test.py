# Bytes filled through a writable view of their own memory
# (PyMemoryView_FromMemory over PyBytes_AsString): Python's bytes object
# shows what is written through the view, by C or by Python, in later calls.
import bytesview_ext as m

res, mem = m.writable_bytes(8)
print(res, mem.readonly, mem.nbytes, len(res))
m.fill(mem, 0x41)
print("after C fill", res)
mem[0] = 0x7A
mem[-2:] = b"!?"
print("after Python writes", res, bytes(mem))
res2, mem2 = m.writable_bytes(0)
print("empty", res2, mem2.nbytes)
print("same call", m.same_call(5, 0x62))
big, bigmem = m.writable_bytes(100000)
m.fill(bigmem, 0x63)
print("big", big.count(b"c"), big[:3])
print("DONE")
