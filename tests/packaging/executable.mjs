// What an executable or native library is, read from its headers: its format (ELF, Mach-O, PE), its CPU, for ELF its
// interpreter (glibc's or musl's loader), the libraries it needs (DT_NEEDED, which the loader must find), whether it is
// position-independent and its sections' names, for Mach-O whether it carries a code signature (macOS on Apple silicon runs
// no unsigned code). Read by the bytes, the way the loader reads them, so the check needs no tool of the host's.

const elfMachines = { 0x03: 'x86', 0x28: 'arm', 0x3e: 'x86-64', 0xb7: 'aarch64' };
const machoCpus = { 0x01000007: 'x86-64', 0x0100000c: 'aarch64' };
const peMachines = { 0x014c: 'x86', 0x8664: 'x86-64', 0xaa64: 'aarch64', 0x01c4: 'arm' };
const LC_CODE_SIGNATURE = 0x1d;
const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const DT_NEEDED = 1;
const DT_STRTAB = 5;
const ET_DYN = 3;

/** @returns {{ format: 'elf'|'mach-o'|'pe'|'unknown', cpu?: string, bits?: number, interpreter?: string, needed?: string[], positionIndependent?: boolean, sections?: string[], signed?: boolean }} */
export function describe(bytes) {
  if (bytes.length >= 64 && bytes.readUInt32BE(0) === 0x7f454c46) return elf(bytes);
  if (bytes.length >= 32 && bytes.readUInt32LE(0) === 0xfeedfacf) return macho(bytes);
  if (bytes.length >= 64 && bytes.toString('latin1', 0, 2) === 'MZ') return pe(bytes);
  return { format: 'unknown' };
}

function elf(bytes) {
  const bits = bytes[4] === 2 ? 64 : 32;
  const le = bytes[5] === 1;
  const u16 = (o) => (le ? bytes.readUInt16LE(o) : bytes.readUInt16BE(o));
  const u32 = (o) => (le ? bytes.readUInt32LE(o) : bytes.readUInt32BE(o));
  const word = (o) => (bits === 64 ? Number(le ? bytes.readBigUInt64LE(o) : bytes.readBigUInt64BE(o)) : u32(o));
  const machine = u16(18);
  const phoff = word(bits === 64 ? 32 : 28);
  const phentsize = u16(bits === 64 ? 54 : 42);
  const phnum = u16(bits === 64 ? 56 : 44);
  // A program header: its type, where it lies in the file, and where it is loaded.
  const segments = Array.from({ length: phnum }, (_, i) => {
    const ph = phoff + i * phentsize;
    return bits === 64
      ? { type: u32(ph), offset: word(ph + 8), vaddr: word(ph + 16), size: word(ph + 32) }
      : { type: u32(ph), offset: word(ph + 4), vaddr: word(ph + 8), size: word(ph + 16) };
  });
  const text = (offset) => bytes.toString('latin1', offset, bytes.indexOf(0, offset));
  const interp = segments.find(s => s.type === PT_INTERP);
  const interpreter = interp && bytes.toString('latin1', interp.offset, interp.offset + interp.size).replace(/\0+$/, '');

  // The dynamic section's DT_NEEDED entries are offsets into the string table, which DT_STRTAB gives as a load address.
  const dynamic = segments.find(s => s.type === PT_DYNAMIC);
  const needed = [];
  if (dynamic) {
    const entry = bits === 64 ? 16 : 8;
    let strtab;
    const names = [];
    for (let at = dynamic.offset; at + entry <= dynamic.offset + dynamic.size; at += entry) {
      const tag = word(at), value = word(at + entry / 2);
      if (tag === 0) break;
      if (tag === DT_NEEDED) names.push(value);
      if (tag === DT_STRTAB) strtab = value;
    }
    const load = segments.find(s => s.type === PT_LOAD && strtab >= s.vaddr && strtab < s.vaddr + s.size);
    if (load) for (const name of names) needed.push(text(strtab - load.vaddr + load.offset + name));
  }
  // Section headers: each one's name is an offset into the section-name table (e_shstrndx).
  const shoff = word(bits === 64 ? 40 : 32);
  const shentsize = u16(bits === 64 ? 58 : 46);
  const shnum = u16(bits === 64 ? 60 : 48);
  const shstrndx = u16(bits === 64 ? 62 : 50);
  const sectionOffset = (i) => word(shoff + i * shentsize + (bits === 64 ? 24 : 16));
  const sections = shoff && shstrndx < shnum
    ? Array.from({ length: shnum }, (_, i) => text(sectionOffset(shstrndx) + u32(shoff + i * shentsize))).filter(Boolean)
    : [];
  // e_type: ET_EXEC (2) is loaded at its own fixed address, ET_DYN (3) anywhere (a PIE or a shared library).
  const positionIndependent = u16(16) === ET_DYN;
  return { format: 'elf', cpu: elfMachines[machine] ?? `machine 0x${machine.toString(16)}`, bits, interpreter, needed, positionIndependent, sections };
}

function macho(bytes) {
  const cpu = bytes.readUInt32LE(4);
  const ncmds = bytes.readUInt32LE(16);
  let signed = false;
  for (let i = 0, at = 32; i < ncmds && at + 8 <= bytes.length; i++) {
    if (bytes.readUInt32LE(at) === LC_CODE_SIGNATURE) signed = true;
    at += bytes.readUInt32LE(at + 4);
  }
  return { format: 'mach-o', cpu: machoCpus[cpu] ?? `cpu 0x${cpu.toString(16)}`, bits: 64, signed };
}

function pe(bytes) {
  const header = bytes.readUInt32LE(0x3c);
  if (bytes.toString('latin1', header, header + 4) !== 'PE\0\0') return { format: 'unknown' };
  const machine = bytes.readUInt16LE(header + 4);
  return { format: 'pe', cpu: peMachines[machine] ?? `machine 0x${machine.toString(16)}` };
}
