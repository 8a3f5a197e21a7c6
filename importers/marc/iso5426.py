"""ISO 5426 (extended Latin for bibliographic use) to Unicode, for UNIMARC records.

pymarc has no codec for it. UNIMARC declares it in 100$a/26-29 ("0103": ISO 646 in G0,
ISO 5426 in G1). Like MARC-8, a diacritic is a non-spacing byte written *before* its base
letter, while Unicode puts the combining mark after it; the result is NFC-normalised so
"\\xc2e" gives "é" as one code point. Bytes the standard leaves unassigned raise
ValueError: a wrong guess of the character set must reject the record, not garble it.
"""
from __future__ import annotations

import unicodedata

# Non-spacing diacritics 0xC0-0xDF (ISO-IR-053 columns 4 and 5 of the right half).
DIACRITICS = {
    0xC0: "\u0309",  # hook above (low rising tone)
    0xC1: "\u0300",  # grave
    0xC2: "\u0301",  # acute
    0xC3: "\u0302",  # circumflex
    0xC4: "\u0303",  # tilde
    0xC5: "\u0304",  # macron
    0xC6: "\u0306",  # breve
    0xC7: "\u0307",  # dot above
    0xC8: "\u0308",  # diaeresis (trema)
    0xC9: "\u0308",  # umlaut
    0xCA: "\u030A",  # ring above
    0xCB: "\u0315",  # comma above right (high comma off centre)
    0xCC: "\u0312",  # turned comma above (inverted high comma centred)
    0xCD: "\u030B",  # double acute
    0xCE: "\u031B",  # horn
    0xCF: "\u030C",  # caron
    0xD0: "\u0327",  # cedilla
    0xD1: "\u031C",  # left half ring below ("rude")
    0xD2: "\u0321",  # palatalized hook below (hook to left)
    0xD3: "\u0328",  # ogonek (hook to right)
    0xD4: "\u0325",  # ring below
    0xD5: "\u032E",  # breve below (half circle below)
    0xD6: "\u0323",  # dot below
    0xD7: "\u0324",  # diaeresis below
    0xD8: "\u0332",  # low line
    0xD9: "\u0333",  # double low line
    0xDA: "\u0329",  # vertical line below
    0xDB: "\u032D",  # circumflex below
    0xDD: "\uFE20",  # left half of ligature / double tilde
    0xDE: "\uFE21",  # right half of ligature
    0xDF: "\uFE23",  # right half of double tilde
}

# Spacing characters of the right half that stand alone.
SPECIALS = {
    # Non-sorting begin/end, kept as UNIMARC systems (BnF) keep them in UTF-8.
    0x88: "\u0098", 0x89: "\u009C",
    0xA1: "¡", 0xA2: "\u201E", 0xA3: "£", 0xA4: "$", 0xA5: "¥", 0xA6: "†", 0xA7: "§",
    0xA8: "\u2032", 0xA9: "\u2018", 0xAA: "\u201C", 0xAB: "«", 0xAC: "♭", 0xAD: "©",
    0xAE: "\u2117", 0xAF: "®",
    0xB0: "\u02BB", 0xB1: "\u02BC", 0xB2: "\u201A", 0xB6: "‡", 0xB7: "·", 0xB8: "\u2033",
    0xB9: "\u2019", 0xBA: "\u201D", 0xBB: "»", 0xBC: "♯", 0xBD: "\u02B9", 0xBE: "\u02BA",
    0xBF: "¿",
    0xE1: "Æ", 0xE2: "Đ", 0xE6: "Ĳ", 0xE8: "Ł", 0xE9: "Ø", 0xEA: "Œ", 0xEC: "Þ",
    0xF1: "æ", 0xF2: "đ", 0xF3: "ð", 0xF5: "ı", 0xF6: "ĳ", 0xF8: "ł", 0xF9: "ø", 0xFA: "œ",
    0xFB: "ß", 0xFC: "þ",
}


def decode(data: bytes) -> str:
    """Decode ISO 646 + ISO 5426 bytes; raise ValueError naming the first byte it cannot map."""
    if data.isascii() and b"\x1b" not in data:
        return data.decode("ascii")
    out: list[str] = []
    pending: list[str] = []  # diacritics waiting for their base character
    for position, byte in enumerate(data):
        if byte == 0x1B:
            raise ValueError(f"escape sequence at byte {position}: switching character sets "
                             f"is not supported")
        if byte < 0x80:
            out.append(chr(byte))
        elif byte in DIACRITICS:
            pending.append(DIACRITICS[byte])
            continue
        elif byte in SPECIALS:
            out.append(SPECIALS[byte])
        else:
            raise ValueError(f"byte 0x{byte:02x} at position {position} is not an ISO 5426 "
                             f"character")
        if pending:
            out.extend(pending)
            pending = []
    # A diacritic with no base letter is kept on its own rather than dropped.
    out.extend(pending)
    return unicodedata.normalize("NFC", "".join(out))
