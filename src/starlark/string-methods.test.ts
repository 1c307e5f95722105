import { describe, it } from 'vitest';
import { runStar } from './starlark-assert.test-support.js';

function check(src: string): void {
  runStar(src);
}

describe('string methods', () => {
  it('capitalize, lower, upper, title', () => {
    check(`
assert_eq("hello WORLD".capitalize(), "Hello world")
assert_eq("".capitalize(), "")
assert_eq("HeLLo".lower(), "hello")
assert_eq("HeLLo".upper(), "HELLO")
assert_eq("hello world".title(), "Hello World")
assert_eq("hELLO wORLD 2x".title(), "Hello World 2X")
assert_eq("ǆenan".title(), "ǅenan")
assert_eq("ǆ".capitalize(), "ǅ")
`);
  });

  it('count, find, rfind, index, rindex with start/end', () => {
    check(`
assert_eq("hello, world!".count("o"), 2)
assert_eq("hello, world!".count("o", 7, 12), 1)
assert_eq("aaa".count("aa"), 1)
assert_eq("abc".count(""), 4)
assert_eq("bonbon".find("on"), 1)
assert_eq("bonbon".find("on", 2), 4)
assert_eq("bonbon".find("on", 2, 5), -1)
assert_eq("bonbon".rfind("on"), 4)
assert_eq("bonbon".rfind("on", None, 5), 1)
assert_eq("bonbon".index("on"), 1)
assert_eq("bonbon".rindex("on"), 4)
assert_eq("abc".find("c", -1), 2)
assert_fails(lambda: "bonbon".index("x"), "index: substring not found")
assert_fails(lambda: "bonbon".rindex("x"), "rindex: substring not found")
assert_fails(lambda: "a".find(1), "find: sub: got int, want string")
`);
  });

  it('startswith, endswith with tuples and ranges', () => {
    check(`
assert_eq("filename.star".endswith(".star"), True)
assert_eq("filename.star".endswith((".py", ".star")), True)
assert_eq("foo.cc".startswith(("foo", "bar")), True)
assert_eq("abc".startswith("b", 1), True)
assert_eq("abc".endswith("b", 0, 2), True)
assert_eq("abc".startswith(""), True)
assert_fails(lambda: "abc".startswith(1), "got int, want string or tuple of strings")
`);
  });

  it('is* predicates', () => {
    check(`
assert_eq("base64".isalnum(), True)
assert_eq("base-64".isalnum(), False)
assert_eq("".isalnum(), False)
assert_eq("ABC".isalpha(), True)
assert_eq("A1".isalpha(), False)
assert_eq("123".isdigit(), True)
assert_eq("12a".isdigit(), False)
assert_eq("hello 1".islower(), True)
assert_eq("Hello".islower(), False)
assert_eq("123".islower(), False)
assert_eq("HELLO 1".isupper(), True)
assert_eq("Hello".isupper(), False)
assert_eq(" \\t\\n".isspace(), True)
assert_eq("".isspace(), False)
assert_eq("Hello World".istitle(), True)
assert_eq("Catch-22".istitle(), True)
assert_eq("HAL 9000".istitle(), False)
assert_eq("hello World".istitle(), False)
assert_eq("".istitle(), False)
assert_eq("ǅenan".istitle(), True)
assert_eq("Ǆenan".istitle(), False)
`);
  });

  it('join, strip family, partition family, affix removal, replace', () => {
    check(`
assert_eq(", ".join(["one", "two", "three"]), "one, two, three")
assert_eq("a".join("ctmrn".codepoints()), "catamaran")
assert_eq("".join([]), "")
assert_fails(lambda: ",".join([1]), "join: in list, want string, got int")
assert_eq("  hello  ".strip(), "hello")
assert_eq("  hello  ".lstrip(), "hello  ")
assert_eq("  hello  ".rstrip(), "  hello")
assert_eq("xxhixx".strip("x"), "hi")
assert_eq("abcba".lstrip("ab"), "cba")
assert_eq("abcba".rstrip("ab"), "abc")
assert_eq("one/two/three".partition("/"), ("one", "/", "two/three"))
assert_eq("one/two/three".rpartition("/"), ("one/two", "/", "three"))
assert_eq("abc".partition("x"), ("abc", "", ""))
assert_eq("abc".rpartition("x"), ("", "", "abc"))
assert_fails(lambda: "abc".partition(""), "partition: empty separator")
assert_eq("banana".removeprefix("ban"), "ana")
assert_eq("banana".removeprefix("x"), "banana")
assert_eq("banana".removesuffix("ana"), "ban")
assert_eq("banana".removesuffix(""), "banana")
assert_eq("banana".replace("a", "o"), "bonono")
assert_eq("banana".replace("a", "o", 2), "bonona")
assert_eq("banana".replace("a", "o", -1), "bonono")
assert_eq("ab".replace("", "-"), "-a-b-")
assert_eq("ab".replace("", "-", 2), "-a-b")
`);
  });

  it('split, rsplit, splitlines', () => {
    check(`
assert_eq("one two  three".split(), ["one", "two", "three"])
assert_eq("  a  b  ".split(), ["a", "b"])
assert_eq("one two  three".split(None, 1), ["one", "two  three"])
assert_eq("  a b c  ".split(None, 1), ["a", "b c  "])
assert_eq("a b c ".rsplit(None, 1), ["a b", "c"])
assert_eq("  a b c".rsplit(None, 1), ["  a b", "c"])
assert_eq("one,two,,three".split(","), ["one", "two", "", "three"])
assert_eq("a,b,c".split(",", 1), ["a", "b,c"])
assert_eq("a,b,c".rsplit(",", 1), ["a,b", "c"])
assert_eq("a,b,c".rsplit(","), ["a", "b", "c"])
assert_eq("a--b--c".rsplit("--", 1), ["a--b", "c"])
assert_eq("".split(), [])
assert_eq("".split(","), [""])
assert_fails(lambda: "a".split(""), "split: empty separator")
assert_eq("one\\n\\ntwo".splitlines(), ["one", "", "two"])
assert_eq("one\\ntwo\\n".splitlines(True), ["one\\n", "two\\n"])
assert_eq("".splitlines(), [])
assert_eq("\\n".splitlines(), [""])
assert_eq("a\\r\\nb\\rc".splitlines(), ["a\\r", "b\\rc"])
assert_fails(lambda: "a".splitlines(keepends = True), 'splitlines: unexpected keyword arguments (it takes only positional arguments; got "keepends")')
`);
  });

  it('elems, elem_ords, codepoints, codepoint_ords', () => {
    check(`
assert_eq(list("abc".elems()), ["a", "b", "c"])
assert_eq(list("abc".elem_ords()), [97, 98, 99])
assert_eq(list("aé😀".codepoints()), ["a", "é", "😀"])
assert_eq(list("aé😀".codepoint_ords()), [97, 233, 128512])
assert_eq([c for c in "ab".elems()], ["a", "b"])
assert_eq(type("ab".elems()), "string.elems")
assert_eq(type("ab".elem_ords()), "string.elems")
assert_eq(type("ab".codepoints()), "string.codepoints")
assert_eq(repr("ab".codepoint_ords()), '"ab".codepoint_ords()')
assert_eq(reversed("ab".elems()), ["b", "a"])
assert_fails(lambda: len("ab".elems()), "has no len")
`);
  });

  it('accepts only positional arguments', () => {
    check(`
assert_fails(lambda: "a,b".split(sep = ","), 'split: unexpected keyword arguments (it takes only positional arguments; got "sep")')
assert_fails(lambda: [].append(x = 1), 'append: unexpected keyword arguments (it takes only positional arguments; got "x")')
assert_fails(lambda: {}.get(key = 1), 'get: unexpected keyword arguments (it takes only positional arguments; got "key")')
assert_fails(lambda: len(x = [1]), 'len: unexpected keyword arguments (it takes only positional arguments; got "x")')
assert_eq(int(x = "10", base = 16), 16)
assert_eq({}.update(a = 1), None)
`);
  });

  it('format and method values', () => {
    check(`
f = "a{}c".format
assert_eq(f("b"), "abc")
assert_eq(str("x".upper), '<built-in method upper of string value>')
assert_fails(lambda: "x".nope(), "string has no .nope field or method")
assert_fails(lambda: "x".upper(1), "upper: got 1 argument, want none")
`);
  });
});
