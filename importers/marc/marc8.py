"""Strict MARC-8 to Unicode, on pymarc's own MARC-8 tables.

pymarc.marc8.MARC8ToUnicode never fails: it writes a warning to stderr and puts a space
in place of a byte it cannot map, and keeps a broken escape sequence as text. An import
must instead reject such a record (with its raw bytes kept for repair), so this decoder
uses the same tables (pymarc.marc8_mapping) and raises ValueError with the reason.
"""
from __future__ import annotations

import unicodedata

from pymarc.marc8_mapping import CODESETS, ODD_MAP

ASCII, ANSEL, EACC = 0x42, 0x45, 0x31
# ESC followed by one of these selects a G0 set directly ("technique 2" in the MARC-8 spec).
_SHORT_ESCAPES = {0x67: 0x67, 0x62: 0x62, 0x70: 0x70, 0x73: ASCII}  # greek symbols, sub, sup, ASCII
_G0 = (0x28, 0x2C)  # "(" ","
_G1 = (0x29, 0x2D)  # ")" "-"


def _lookup(charset: int, code: int):
    table = CODESETS.get(charset)
    if table is None:
        raise ValueError(f"unknown MARC-8 character set 0x{charset:02x}")
    # Tables are keyed by the byte values of the half (G0 or G1) they usually sit in;
    # try the other half too for a set designated to the unusual one.
    hit = table.get(code)
    if hit is None and code <= 0xFF:
        hit = table.get(code ^ 0x80)
    if hit is None and code in ODD_MAP:
        return chr(ODD_MAP[code]), False
    if hit is None:
        raise ValueError(f"character 0x{code:02x} is not in MARC-8 set 0x{charset:02x}")
    return chr(hit[0]), bool(hit[1])


def _escape(data: bytes, pos: int) -> tuple[int, int | None, int | None]:
    """Parse an escape sequence at data[pos]; return (next position, new G0, new G1)."""
    rest = data[pos + 1:pos + 5]
    if not rest:
        raise ValueError(f"escape sequence cut short at byte {pos}")
    first = rest[0]
    if first in _SHORT_ESCAPES:
        return pos + 2, _SHORT_ESCAPES[first], None
    final_index = 1
    designator = first
    if first == 0x24:  # "$" marks a multibyte set: G0 unless an intermediate follows
        if len(rest) > 1 and rest[1] in _G0 + _G1:
            designator, final_index = rest[1], 2
        else:
            designator = 0x28
    if designator not in _G0 + _G1:
        raise ValueError(f"invalid MARC-8 escape sequence at byte {pos}")
    if final_index < len(rest) and rest[final_index] == 0x21:  # "!" before "E": extended Latin
        final_index += 1
    if final_index >= len(rest):
        raise ValueError(f"escape sequence cut short at byte {pos}")
    final = rest[final_index]
    if final not in CODESETS:
        raise ValueError(f"escape sequence at byte {pos} selects an unknown character set "
                         f"0x{final:02x}")
    nxt = pos + 1 + final_index + 1
    return (nxt, final, None) if designator in _G0 else (nxt, None, final)


def decode(data: bytes) -> str:
    """Decode one MARC-8 subfield (the character sets start as ASCII + ANSEL each time)."""
    if data.isascii() and b"\x1b" not in data:
        return data.decode("ascii")
    g0, g1 = ASCII, ANSEL
    out: list[str] = []
    combining: list[str] = []
    pos, size = 0, len(data)
    while pos < size:
        byte = data[pos]
        if byte == 0x1B:
            pos, new_g0, new_g1 = _escape(data, pos)
            g0 = new_g0 if new_g0 is not None else g0
            g1 = new_g1 if new_g1 is not None else g1
            continue
        if byte == 0x20:  # space is one byte in every set, even EACC
            char, is_combining = " ", False
            pos += 1
        elif byte < 0x20:
            pos += 1  # stray C0 controls carry no text (pymarc drops them too)
            continue
        elif byte < 0x80 and g0 == EACC:
            if pos + 3 > size:
                raise ValueError(f"EACC character cut short at byte {pos}")
            char, is_combining = _lookup(EACC, int.from_bytes(data[pos:pos + 3], "big"))
            pos += 3
        elif byte < 0x80:
            char, is_combining = (chr(byte), False) if g0 == ASCII else _lookup(g0, byte)
            pos += 1
        else:
            char, is_combining = _lookup(g1, byte)
            pos += 1
        if is_combining:
            combining.append(char)  # MARC-8 writes marks before their base letter
            continue
        out.append(char)
        if combining:
            out.extend(combining)
            combining = []
    out.extend(combining)
    return unicodedata.normalize("NFC", "".join(out))
