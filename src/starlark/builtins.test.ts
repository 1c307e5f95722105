import { describe, expect, it } from 'vitest';
import { runStar } from './starlark-assert.test-support.js';

function check(src: string): void {
  runStar(src);
}

describe('universal builtins', () => {
  it('abs, all, any, bool', () => {
    check(`
assert_eq(abs(-3), 3)
assert_eq(abs(-(1 << 70)), 1 << 70)
assert_eq(abs(-2.5), 2.5)
assert_fails(lambda: abs("x"), "abs: got string, want int or float")
assert_eq(all([1, "a"]), True)
assert_eq(all([1, 0]), False)
assert_eq(all([]), True)
assert_eq(any([0, ""]), False)
assert_eq(any([0, 1]), True)
assert_eq(bool(), False)
`);
  });

  it('chr and ord', () => {
    check(`
assert_eq(chr(65), "A")
assert_eq(chr(1049), "Й")
assert_eq(chr(0x1F63F), "😿")
assert_eq(ord("A"), 65)
assert_eq(ord("Й"), 1049)
assert_eq(ord("😿"), 0x1F63F)
assert_fails(lambda: chr(-1), "out of range")
assert_fails(lambda: chr(0x110000), "out of range")
assert_fails(lambda: ord("ab"), "string encodes 2 Unicode code points, want 1")
assert_fails(lambda: ord(1), "ord: got int, want string")
`);
  });

  it('dict, list, tuple, set constructors', () => {
    check(`
assert_eq(dict(), {})
assert_eq(dict([(1, 2), (3, 4)]), {1: 2, 3: 4})
assert_eq(dict(one = 1, two = 2), {"one": 1, "two": 2})
assert_eq(dict([(1, 2)], x = 3), {1: 2, "x": 3})
assert_fails(lambda: dict(1, 2), "dict: got 2 arguments, want at most 1")
assert_eq(list(), [])
assert_eq(list((1, 2)), [1, 2])
assert_eq(list({"a": 1}), ["a"])
assert_eq(list(range(3)), [0, 1, 2])
assert_fails(lambda: list(1), "list: got int, want iterable")
assert_eq(tuple([1]), (1,))
assert_eq(tuple(), ())
assert_eq(set(), set([]))
assert_eq(len(set("abca".elems())), 3)
`);
  });

  it('dir, getattr, hasattr', () => {
    check(`
d = dir("x")
assert_true("split" in d and "upper" in d and "codepoints" in d)
assert_eq(dir([]), ["append", "clear", "extend", "index", "insert", "pop", "remove"])
assert_eq(getattr("banana", "split")("a"), ["b", "n", "n", ""])
assert_eq(getattr([], "nope", 42), 42)
assert_fails(lambda: getattr([], "nope"), "list has no .nope field or method")
assert_eq(hasattr({}, "keys"), True)
assert_eq(hasattr({}, "nope"), False)
`);
  });

  it('enumerate, zip, reversed, range', () => {
    check(`
assert_eq(enumerate(["zero", "one"]), [(0, "zero"), (1, "one")])
assert_eq(enumerate(["one", "two"], 1), [(1, "one"), (2, "two")])
assert_eq(zip(), [])
assert_eq(zip(range(3)), [(0,), (1,), (2,)])
assert_eq(zip(range(5), "abc".elems()), [(0, "a"), (1, "b"), (2, "c")])
assert_eq(reversed(range(5)), [4, 3, 2, 1, 0])
assert_eq(reversed({"one": 1, "two": 2}.keys()), ["two", "one"])
assert_eq(list(range(3, 10, 2)), [3, 5, 7, 9])
assert_eq(list(range(10, 3, -2)), [10, 8, 6, 4])
assert_eq(len(range(0, 10, 3)), 4)
assert_eq(len(range(5, 0)), 0)
assert_eq(range(10)[3], 3)
assert_eq(range(10)[-1], 9)
assert_eq(list(range(10)[2:8:2]), [2, 4, 6])
assert_eq(list(range(10)[::-3]), [9, 6, 3, 0])
assert_eq(str(range(5)), "range(5)")
assert_eq(str(range(1, 5)), "range(1, 5)")
assert_eq(str(range(1, 5, 2)), "range(1, 5, 2)")
assert_eq(type(range(1)), "range")
assert_true(3 in range(0, 10, 3))
assert_true(4 not in range(0, 10, 3))
assert_true(2.0 in range(3))
assert_fails(lambda: "a" in range(3), "'in <range>' requires integer as left operand, not string")
assert_eq(range(0, 5, 2), range(0, 6, 2))
assert_fails(lambda: range(1, 2, 0), "step argument must not be zero")
assert_fails(lambda: range("a"), "got string, want int")
assert_fails(lambda: {range(3): 1}, "unhashable type: range")
`);
  });

  it('fail, print', () => {
    const { out } = runStar(`
print(1, "hi")
print("hello", "world", sep = ", ")
print()
assert_fails(lambda: fail("oops"), "fail: oops")
assert_fails(lambda: fail("oops", 1, False, sep = "/"), "fail: oops/1/False")
`);
    expect(out).toEqual(['1 hi', 'hello, world', '']);
  });

  it('float, int and their string parsing', () => {
    check(`
assert_eq(float(), 0.0)
assert_eq(float("1.5"), 1.5)
assert_eq(float(" 1"[1:]), 1.0)
assert_eq(float("1e3"), 1000.0)
assert_eq(float(".5"), 0.5)
assert_eq(float(True), 1.0)
assert_fails(lambda: float("x"), "invalid float literal")
assert_fails(lambda: int(), "int: missing argument for x")
assert_eq(int("11"), 11)
assert_eq(int("-11"), -11)
assert_eq(int("+11"), 11)
assert_eq(int("11", 0), 11)
assert_eq(int("11", 2), 3)
assert_eq(int("11", 8), 9)
assert_eq(int("11", 16), 17)
assert_eq(int("0x11", 0), 17)
assert_eq(int("0x11", 16), 17)
assert_eq(int("0b1", 16), 177)
assert_eq(int("0b1", 2), 1)
assert_eq(int("0b1", 0), 1)
assert_eq(int("0o17", 0), 15)
assert_eq(int("zz", 36), 1295)
assert_eq(int("123456789012345678901234567890"), 123456789012345678901234567890)
assert_eq(int(True), 1)
assert_eq(int(2.9), 2)
assert_fails(lambda: int("0x11"), 'int: invalid literal with base 10: 0x11')
assert_fails(lambda: int("012", 0), "invalid literal with base 0")
assert_fails(lambda: int("1.5"), "invalid literal with base 10")
assert_fails(lambda: int(" 1"), "invalid literal with base 10")
assert_fails(lambda: int(1, 10), "can't convert non-string with explicit base")
assert_fails(lambda: int("1", 1), "base must be an integer >= 2 && <= 36")
assert_fails(lambda: int(float("inf")), "cannot convert float infinity to integer")
`);
  });

  it('hash, len, repr, str, type', () => {
    check(`
assert_eq(hash(""), 0)
assert_eq(hash("a"), 97)
assert_eq(hash("hello"), 99162322)
assert_eq(hash("this is a longer string"), -356026315)
assert_fails(lambda: hash(1), "hash: got int, want string")
assert_eq(len("abc"), 3)
assert_eq(len([1]), 1)
assert_eq(len({1: 2}), 1)
assert_fails(lambda: len(1), "len: value of type int has no len")
assert_eq(repr(1), "1")
assert_eq(repr([1, "x"]), '[1, "x"]')
assert_eq(str("x"), "x")
assert_eq(str(None), "None")
assert_eq(str(True), "True")
assert_eq([type(x) for x in [None, True, 0, 0.0, "", [], (), {}, set(), len]],
  ["NoneType", "bool", "int", "float", "string", "list", "tuple", "dict", "set", "builtin_function_or_method"])
assert_eq(type(1 << 80), "int")
`);
  });

  it('min, max with key and default', () => {
    check(`
assert_eq(max([3, 1, 4, 1, 5, 9]), 9)
assert_eq(max("two", "three", "four"), "two")
assert_eq(max("two", "three", "four", key = len), "three")
assert_eq(min([3, 1, 4, 1, 5, 9]), 1)
assert_eq(min("two", "three", "four"), "four")
assert_eq(min("two", "three", "four", key = len), "two")
assert_eq(max([], default = 7), 7)
assert_eq(min([1, 2.5]), 1)
assert_fails(lambda: max([]), "max: argument is an empty sequence")
assert_fails(lambda: min([1, "a"]), "string < int not implemented")
assert_fails(lambda: max(1), "max: got int, want iterable")
`);
  });

  it('sorted with key and reverse, stable', () => {
    check(`
assert_eq(sorted([3, 1, 4, 1, 5, 9]), [1, 1, 3, 4, 5, 9])
assert_eq(sorted([3, 1, 4, 1, 5, 9], reverse = True), [9, 5, 4, 3, 1, 1])
assert_eq(sorted(["two", "three", "four"], key = len), ["two", "four", "three"])
assert_eq(sorted(["two", "three", "four"], key = len, reverse = True), ["three", "four", "two"])
assert_eq(sorted(set("harbors".codepoints())), ["a", "b", "h", "o", "r", "s"])
assert_eq(sorted([(2, "b"), (1, "z"), (2, "a")]), [(1, "z"), (2, "a"), (2, "b")])
assert_eq(sorted([(1, "b"), (0, "a"), (1, "a")], key = lambda p: p[0]), [(0, "a"), (1, "b"), (1, "a")])
assert_eq(sorted({"b": 1, "a": 2}), ["a", "b"])
assert_fails(lambda: sorted([1, "a"]), "not implemented")
assert_fails(lambda: sorted([1], 1), "sorted: got 2 arguments, want at most 1")
`);
  });
});
