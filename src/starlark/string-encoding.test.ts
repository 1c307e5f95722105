// Pins the one documented difference from starlark-go's strings (README, "The language"): our
// strings are UTF-16 code units (JS strings), starlark-go's are UTF-8 bytes. ASCII text behaves
// the same in both; these tests state exactly where other text differs, and where it does not.

import { describe, it } from 'vitest';
import { runStar } from './starlark-assert.test-support.js';

describe('string encoding: UTF-16 code units, not UTF-8 bytes', () => {
  it('agrees with starlark-go on ASCII text', () => {
    runStar(`
s = "Hello, world"
assert_eq(len(s), 12)
assert_eq(s[7], "w")
assert_eq(s[7:], "world")
assert_eq(list(s.elem_ords())[:2], [72, 101])
assert_eq(list(s.elems())[-1], "d")
`);
  });

  it('agrees on whole characters: ord, chr, codepoints, codepoint_ords, iteration by character', () => {
    runStar(`
assert_eq(ord("Й"), 1049)
assert_eq(ord("😿"), 0x1F63F)
assert_eq(chr(1049), "Й")
assert_eq(chr(0x1F63F), "😿")
assert_eq(list("aЙ😿".codepoints()), ["a", "Й", "😿"])
assert_eq(list("aЙ😿".codepoint_ords()), [97, 1049, 128575])
assert_eq("Hello, 世界!".find("世"), 7)
assert_eq("Hello, 世界!".split(", "), ["Hello", "世界!"])
`);
  });

  it('counts code units where starlark-go counts bytes: len, indexing, slicing, elems', () => {
    runStar(`
assert_eq(len("Й"), 1)            # starlark-go: 2 (UTF-8 bytes)
assert_eq(len("Hello, 世界!"), 10)  # starlark-go: 14
assert_eq(len("😿"), 2)           # starlark-go: 4; a surrogate pair here
assert_eq("Hello, 世界!"[7], "世")  # starlark-go: "\\xe4", the first byte
assert_eq("Й"[1:], "")            # starlark-go: "\\x99", half a character
assert_eq(list("aЙ😿".elem_ords()), [97, 1049, 0xD83D, 0xDE3F])  # starlark-go: [97, 208, 153, 240, 159, 152, 191]
assert_eq(ord("😿"[1:]), 0xFFFD)   # a lone surrogate; starlark-go: error (3 bytes, 3 x U+FFFD)
`);
  });
});
