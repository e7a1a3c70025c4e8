# What ELFkickers' sstrip does: a static program runs from its program
# headers alone, so the section headers and their names (about 420 bytes)
# are cut off after the last loaded byte (readelf and gdb can use the
# .unstripped file beside it). ELF64 little-endian: x86-64 and arm64 alike.
import struct, sys
f = open(sys.argv[1], 'r+b'); h = f.read(64)
assert h[:6] == b'\x7fELF\x02\x01', 'sstrip: %s: not a little-endian ELF64 file' % sys.argv[1]
phoff, = struct.unpack_from('<Q', h, 0x20); phnum, = struct.unpack_from('<H', h, 0x38)
f.seek(phoff); ph = f.read(56 * phnum)
end = max(struct.unpack_from('<QQ', ph, 56 * i + 8)[0] + struct.unpack_from('<Q', ph, 56 * i + 32)[0] for i in range(phnum))
f.seek(0x28); f.write(struct.pack('<Q', 0)); f.seek(0x3c); f.write(struct.pack('<HH', 0, 0))
f.truncate(end)
