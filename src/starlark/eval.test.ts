import { describe, expect, it } from 'vitest';
import { runError, runStar } from './starlark-assert.test-support.js';

// Each test runs Starlark code whose assert_* calls check the semantics; a failing assertion
// surfaces as a StarlarkError naming the line.
function check(src: string): void {
  runStar(src);
}

describe('ints and floats', () => {
  it('does exact arbitrary-precision int arithmetic', () => {
    check(`
assert_eq(111111111 * 111111111, 12345678987654321)
assert_eq(9007199254740991 + 1, 9007199254740992)
assert_eq(9007199254740992 - 1, 9007199254740991)
assert_eq(2 * 4611686018427387904, 9223372036854775808)
assert_eq((1 << 100) // (1 << 98), 4)
assert_eq(-(1 << 64), -18446744073709551616)
assert_eq(12345678901234567890 % 1000, 890)
assert_eq(str(1 << 70), "1180591620717411303424")
assert_eq(0x7fffffffffffffff & 0xff, 255)
assert_eq(~5, -6)
assert_eq(~(1 << 80), -(1 << 80) - 1)
assert_eq(5 | 3, 7)
assert_eq(5 ^ 3, 6)
assert_eq(1 << 3, 8)
assert_eq(-16 >> 2, -4)
assert_eq((1 << 100) >> 99, 2)
assert_eq(-1 >> 100, -1)
assert_eq(0x100000000 | 1, 4294967297)
`);
  });

  it('floors division and modulo with the sign rules of the spec', () => {
    check(`
assert_eq(7 // 2, 3)
assert_eq(-7 // 2, -4)
assert_eq(7 // -2, -4)
assert_eq(-7 // -2, 3)
assert_eq(7 % 3, 1)
assert_eq(-7 % 3, 2)
assert_eq(7 % -3, -2)
assert_eq(-7 % -3, -1)
assert_eq(-(1 << 70) // 3, -393530540239137101142)
assert_eq(-(1 << 70) % 3, 2)
assert_eq(7.0 // 2, 3.0)
assert_eq(-7.5 % 2, 0.5)
assert_eq(7.5 % -2, -0.5)
assert_eq(100 // 5 * 9 + 32, 212)
assert_eq(3 / 2, 1.5)
assert_eq(type(4 / 2), "float")
assert_eq(type(7.0 // 2), "float")
`);
  });

  it('mixes ints and floats and compares them exactly', () => {
    check(`
assert_eq(1 + 0.5, 1.5)
assert_eq(1 == 1.0, True)
assert_eq(2 < 2.5, True)
assert_eq((1 << 60) == float(1 << 60), True)
assert_eq((1 << 60) + 1 == float(1 << 60), False)
assert_eq((1 << 60) + 1 > float(1 << 60), True)
assert_eq({1: "a"}[1.0], "a")
assert_eq(3.141 + 1, 4.141)
assert_eq(int(3.9), 3)
assert_eq(int(-3.9), -3)
assert_eq(int(1e20), 100000000000000000000)
assert_eq(float(3), 3.0)
`);
  });

  it('formats floats like the spec', () => {
    check(`
assert_eq(str(1.0), "1.0")
assert_eq(str(0.0), "0.0")
assert_eq(str(-0.0), "-0.0")
assert_eq(str(123.0), "123.0")
assert_eq(str(1e100), "1e+100")
assert_eq(str(1.23e45), "1.23e+45")
assert_eq(str(-1.23e-45), "-1.23e-45")
assert_eq(str(100.0 / 7.0), "14.285714285714286")
assert_eq(str(1e6), "1e+06")
assert_eq(str(123456.0), "123456.0")
assert_eq(str(0.0001), "0.0001")
assert_eq(str(0.00001), "1e-05")
assert_eq(str(float("inf")), "+inf")
assert_eq(str(float("-inf")), "-inf")
assert_eq(str(float("nan")), "nan")
assert_eq(str(float("+InFiniTy")), "+inf")
assert_eq(repr(1.5), "1.5")
`);
  });

  it('reports division by zero and bad operands', () => {
    check(`
assert_fails(lambda: 1 // 0, "division by zero")
assert_fails(lambda: 1 % 0, "modulo by zero")
assert_fails(lambda: 1 / 0, "division by zero")
assert_fails(lambda: 1.0 / 0.0, "division by zero")
assert_fails(lambda: 1 + "a", "unknown binary op: int + string")
assert_fails(lambda: "a" - "b", "unknown binary op: string - string")
assert_fails(lambda: -"a", "unknown unary op: - string")
assert_fails(lambda: 1 << -1, "negative shift count")
assert_fails(lambda: int(float("nan")), "cannot convert float NaN to integer")
`);
  });

  it('orders floats totally, as starlark-go: NaN equals NaN and is the greatest', () => {
    check(`
nan = float("nan")
assert_true(nan == nan)
assert_true(not (nan != nan))
assert_true(nan <= nan and nan >= nan)
assert_true(nan > float("inf"))
assert_true(not (nan < 1))
assert_true(nan > 1)
assert_true(1 < nan)
assert_eq([nan], [float("nan")])
assert_true(nan in [1, nan])
assert_eq(str(sorted([3, nan, 1])), "[1, 3, nan]")
assert_eq(max([1, nan, 3]), nan)
d = {nan: 1}
d[float("nan")] = 2
assert_eq(d, {nan: 2})
`);
  });
});

describe('bools, None and truth', () => {
  it('applies truthiness rules', () => {
    check(`
assert_eq([bool(x) for x in [None, False, 0, 0.0, "", [], (), {}, set()]], [False] * 9)
assert_eq([bool(x) for x in [True, 1, -1, 0.1, "a", [0], (0,), {0: 0}, set([0]), len]], [True] * 10)
assert_eq(bool(range(0)), False)
assert_eq(bool(range(1)), True)
assert_eq(1 and 2, 2)
assert_eq(0 and 2, 0)
assert_eq(0 or "x", "x")
assert_eq(None or [], [])
assert_eq(not 0, True)
assert_eq(True == 1, False)
assert_eq(False < True, True)
`);
  });

  it('short-circuits and/or', () => {
    check(`
assert_eq(False and 1 // 0, False)
assert_eq(True or 1 // 0, True)
`);
  });
});

describe('strings', () => {
  it('indexes, slices and concatenates', () => {
    check(`
s = "hello"
assert_eq(s[0], "h")
assert_eq(s[-1], "o")
assert_eq(s[1:3], "el")
assert_eq(s[::-1], "olleh")
assert_eq(s[::2], "hlo")
assert_eq(s[-3:], "llo")
assert_eq(s[:100], "hello")
assert_eq(s[4:1:-1], "oll")
assert_eq(s + " world", "hello world")
assert_eq("ab" * 3, "ababab")
assert_eq(3 * "ab", "ababab")
assert_eq("ab" * -1, "")
assert_eq(len("héllo"), 5)
assert_true("ell" in s)
assert_true("x" not in s)
assert_true("abc" < "abd")
assert_true("ab" < "abc")
assert_fails(lambda: s[5], "index 5 out of range: string has 5 elements")
assert_fails(lambda: 1 in "abc", "requires string as left operand")
assert_fails(lambda: [c for c in "abc"], "string value is not iterable")
assert_fails(lambda: s[::0], "zero is not a valid slice step")
`);
  });

  it('prints repr with double quotes and escapes', () => {
    check(`
assert_eq(repr("x"), '"x"')
assert_eq(repr('a"b\\\\c\\n'), '"a\\\\"b\\\\\\\\c\\\\n"')
assert_eq(str([1, "x"]), '[1, "x"]')
assert_eq(repr("\\x01\\x7f"), '"\\\\x01\\\\x7f"')
assert_eq(repr("é😀"), '"é😀"')
assert_eq(repr("\\u2028\\u00a0"), '"\\\\u2028\\\\u00a0"')
`);
  });
});

describe('lists and tuples', () => {
  it('supports list operations and methods', () => {
    check(`
x = [3, 1, 2]
x.append(4)
assert_eq(x, [3, 1, 2, 4])
x.extend((5, 6))
assert_eq(len(x), 6)
x.insert(0, 0)
x.insert(-1, 9)
x.insert(100, 7)
assert_eq(x, [0, 3, 1, 2, 4, 5, 9, 6, 7])
assert_eq(x.pop(), 7)
assert_eq(x.pop(0), 0)
assert_eq(x.pop(-2), 9)
x.remove(4)
assert_eq(x, [3, 1, 2, 5, 6])
assert_eq(x.index(2), 2)
assert_eq(x.index(5, 1, 4), 3)
x.clear()
assert_eq(x, [])
assert_fails(lambda: x.pop(), "pop: index -1 out of range: list has 0 elements")
assert_fails(lambda: [1].remove(2), "remove: element 2 not found")
assert_fails(lambda: [1].index(2), "index: value 2 not in list")
assert_eq([1, 2] + [3], [1, 2, 3])
assert_eq([0] * 3, [0, 0, 0])
assert_eq([1, 2] < [1, 3], True)
assert_eq([1, 2] < [1, 2, 0], True)
assert_eq([[1]] == [[1]], True)
y = [1, 2, 3, 4, 5]
y[1] = 20
y[-1] = 50
assert_eq(y, [1, 20, 3, 4, 50])
assert_eq(y[1:4], [20, 3, 4])
assert_eq(y[::-2], [50, 3, 1])
assert_fails(lambda: y[10], "index 10 out of range: list has 5 elements")
assert_fails(lambda: y["a"], "list index: got string, want int")
`);
  });

  it('supports tuples', () => {
    check(`
t = (1, 2, 3)
assert_eq(t[0], 1)
assert_eq(t[1:], (2, 3))
assert_eq(t + (4,), (1, 2, 3, 4))
assert_eq((1,) * 2, (1, 1))
assert_eq(len(()), 0)
assert_eq(repr((1,)), "(1,)")
assert_eq(repr(()), "()")
assert_true((1, 2) < (1, 3))
assert_true((1, 2) != [1, 2])
assert_eq({(1, 2): "x"}[(1, 2)], "x")
a, b = 1, 2
a, b = b, a
assert_eq((a, b), (2, 1))
[c, (d, e)] = [1, (2, 3)]
assert_eq(c + d + e, 6)
def bad1():
    p, q = 1, 2, 3
def bad2():
    p, q = [1]
def bad3():
    p, q = 1
assert_fails(bad1, "too many values to unpack (got 3, want 2)")
assert_fails(bad2, "too few values to unpack (got 1, want 2)")
assert_fails(bad3, "got int in sequence assignment")
assert_fails(lambda: t.append, "tuple has no .append field or method")
assert_fails(lambda: [].toString(), "list has no .toString field or method")
assert_fails(lambda: "".constructor, "string has no .constructor field or method")
def set_tuple():
    t[0] = 1
assert_fails(set_tuple, "tuple value does not support item assignment")
`);
  });

  it('refuses mutation during iteration', () => {
    check(`
def f():
    x = [1, 2, 3]
    for i in x:
        x.append(i)
def g():
    d = {1: 2}
    for k in d:
        d[3] = 4
assert_fails(f, "cannot append to list during iteration")
assert_fails(g, "cannot insert into hash table during iteration")
`);
  });
});

describe('dicts', () => {
  it('keeps insertion order and supports all methods', () => {
    check(`
d = {"b": 1, "a": 2}
d["c"] = 3
d["b"] = 10
assert_eq(list(d), ["b", "a", "c"])
assert_eq(d.keys(), ["b", "a", "c"])
assert_eq(d.values(), [10, 2, 3])
assert_eq(d.items(), [("b", 10), ("a", 2), ("c", 3)])
assert_eq(d.get("a"), 2)
assert_eq(d.get("z"), None)
assert_eq(d.get("z", 5), 5)
assert_eq(d.pop("a"), 2)
assert_eq(d.pop("z", "dflt"), "dflt")
assert_fails(lambda: d.pop("z"), 'pop: missing key "z"')
assert_eq(d.setdefault("b", 0), 10)
assert_eq(d.setdefault("n"), None)
assert_eq(d.popitem(), ("b", 10))
d.update([("x", 1)], y=2)
d.update({"z": 3})
assert_fails(lambda: d.update(None), "update: got NoneType, want iterable")
assert_eq(d, {"c": 3, "n": None, "x": 1, "y": 2, "z": 3})
d.clear()
assert_eq(len(d), 0)
assert_fails(lambda: d.popitem(), "popitem: empty dict")
assert_fails(lambda: {}["k"], 'key "k" not in dict')
assert_fails(lambda: {[1]: 2}, "unhashable type: list")
assert_fails(lambda: {"a": 1, "a": 2}, 'duplicate key: "a"')
assert_eq({1: 2} == {1: 2}, True)
assert_eq({1: 2, 3: 4} == {3: 4, 1: 2}, True)
assert_eq({1: 2} != {1: 3}, True)
assert_fails(lambda: {} < {}, "dict < dict not implemented")
x = {"a": 1} | {"b": 2, "a": 3}
assert_eq(x, {"a": 3, "b": 2})
assert_eq(list(x), ["a", "b"])
x |= {"c": 4}
assert_eq(len(x), 3)
assert_true("a" in x)
assert_true("q" not in x)
assert_eq([] in {"a": 1}, False)
assert_fails(lambda: [] in set([1]), "unhashable type: list")
assert_eq(dict([("a", 1), ["b", 2]], c=3), {"a": 1, "b": 2, "c": 3})
assert_eq(dict({"a": 1}), {"a": 1})
assert_fails(lambda: dict([(1, 2, 3)]), "has length 3, want 2")
`);
  });

  it('hashes tuples and mixed keys correctly', () => {
    check(`
d = {}
d[(1, "a")] = 1
d[(1, ("b", 2.0))] = 2
d[None] = 3
d[True] = 4
d[1] = 5
d["\\x00T"] = 6
assert_eq(d[(1, "a")], 1)
assert_eq(d[(1, ("b", 2))], 2)
assert_eq(d[None], 3)
assert_eq(d[True], 4)
assert_eq(d[1], 5)
assert_eq(d["\\x00T"], 6)
assert_eq(len(d), 6)
assert_fails(lambda: {(1, [2]): 0}, "unhashable type: list")
assert_fails(lambda: {{}: 0}, "unhashable type: dict")
`);
  });
});

describe('sets', () => {
  it('supports set methods and operators', () => {
    check(`
s = set([3, 1, 4, 1, 5])
assert_eq(list(s), [3, 1, 4, 5])
assert_eq(repr(s), "set([3, 1, 4, 5])")
s.add(9)
s.discard(1)
s.discard(100)
s.remove(3)
assert_fails(lambda: s.remove(42), "remove: element 42 not found")
assert_eq(s, set([4, 5, 9]))
a = set([1, 2, 3])
b = set([2, 3, 4])
assert_eq(a | b, set([1, 2, 3, 4]))
assert_eq(a & b, set([2, 3]))
assert_eq(a - b, set([1]))
assert_eq(a ^ b, set([1, 4]))
assert_eq(a.union([5], (6,)), set([1, 2, 3, 5, 6]))
assert_eq(a.intersection([2, 3, 9]), set([2, 3]))
assert_eq(a.difference([1]), set([2, 3]))
assert_eq(a.symmetric_difference([3, 4]), set([1, 2, 4]))
assert_true(set([1]).issubset([1, 2]))
assert_true(set([1, 2]).issuperset([1]))
assert_fails(lambda: set([1]) < set([1, 2]), "set < set not implemented")
assert_fails(lambda: set([1, 2]) <= set([1, 2]), "set <= set not implemented")
assert_true(2 in a)
c = set()
c.update([1, 2], [3])
assert_eq(len(c), 3)
assert_eq(c.pop(), 1)
c.clear()
assert_fails(lambda: c.pop(), "pop: empty set")
assert_fails(lambda: set([[1]]), "unhashable type: list")
assert_eq(type(set()), "set")
`);
  });
});

describe('functions', () => {
  it('binds positional, keyword, default, *args, **kwargs and keyword-only params', () => {
    check(`
def f(a, b = 2, *args, c, d = 4, **kw):
    return (a, b, args, c, d, kw)
assert_eq(f(1, c = 3), (1, 2, (), 3, 4, {}))
assert_eq(f(1, 5, 6, 7, c = 3, e = 8), (1, 5, (6, 7), 3, 4, {"e": 8}))
assert_eq(f(*[1, 2, 3], **{"c": 0, "z": 1}), (1, 2, (3,), 0, 4, {"z": 1}))
def g(x, *, y):
    return x + y
assert_eq(g(1, y = 2), 3)
assert_fails(lambda: g(1, 2), "function g accepts 1 positional argument (2 given)")
assert_fails(lambda: g(1), "function g missing 1 argument (y)")
assert_fails(lambda: g(1, y = 2, z = 3), 'function g got an unexpected keyword argument "z"')
assert_fails(lambda: g(1, x = 1, y = 2), 'function g got multiple values for parameter "x"')
def h(a, b):
    return a - b
assert_eq(h(b = 1, a = 3), 2)
assert_fails(lambda: h(1, **{"a": 2}), 'got multiple values for parameter "a"')
assert_fails(lambda: h(1, b = 1, **{"b": 2}), 'function h got multiple values for parameter "b"')
`);
  });

  it('evaluates defaults once, at definition time', () => {
    check(`
def f(x, l = []):
    l.append(x)
    return l
assert_eq(f(1), [1])
assert_eq(f(2), [1, 2])
n = 10
def g(x = n):
    return x
n = 20
assert_eq(g(), 10)
`);
  });

  it('supports closures over enclosing locals and nested functions', () => {
    check(`
def squarer():
    x = [0]
    def f():
        x[0] += 1
        return x[0] * x[0]
    return f
sq = squarer()
assert_eq([sq(), sq(), sq()], [1, 4, 9])
def adder(n):
    return lambda x: x + n
assert_eq(adder(3)(4), 7)
def outer():
    a = 1
    def mid():
        def inner():
            return a + 1
        return inner()
    return mid()
assert_eq(outer(), 2)
def late():
    fs = [lambda: i for i in range(3)]
    return [f() for f in fs]
assert_eq(late(), [2, 2, 2])
top = [(lambda: x) for x in range(3)]
assert_eq([f() for f in top], [2, 2, 2])
adders = [(lambda y, k=k: y + k) for k in range(3)]
assert_eq([f(10) for f in adders], [10, 11, 12])
`);
  });

  it('returns None without a return value and treats functions as values', () => {
    check(`
def f():
    pass
assert_eq(f(), None)
def g(x):
    if x:
        return
    return 1
assert_eq(g(True), None)
assert_eq(type(f), "function")
assert_eq(str(f), "<function f>")
assert_eq(type(len), "builtin_function_or_method")
assert_eq(str(len), "<built-in function len>")
assert_eq(f == f, True)
assert_eq((lambda: 1) == (lambda: 1), False)
`);
  });

  it('refuses recursion', () => {
    const e = runError('def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\nfib(5)\n');
    expect(e.message).toBe('function fib called recursively');
    const e2 = runError('def f(): return [g() for _ in [1]]\ndef g(): return f()\nf()\n');
    expect(e2.message).toBe('function f called recursively');
  });

  it('reports local variables referenced before assignment', () => {
    expect(runError('def f():\n    print(x)\n    x = 1\nf()\n').message).toBe('local variable x referenced before assignment');
    expect(runError('print(y)\ny = 1\n').message).toBe('global variable y referenced before assignment');
    expect(
      runError('def squarer():\n    x = 0\n    def f():\n        x += 1\n        return x\n    return f\nsquarer()()\n').message,
    ).toBe('local variable x referenced before assignment');
  });
});

describe('control flow', () => {
  it('runs if/elif/else, for, while, break, continue at top level and in functions', () => {
    const { module } = runStar(`
out = []
for i in range(10):
    if i == 2:
        continue
    elif i == 6:
        break
    else:
        out.append(i)
n = 0
while True:
    n += 1
    if n >= 5:
        break
def f():
    total = 0
    for x in [1, 2, 3]:
        for y in [10, 20]:
            if y == 20:
                break
            total += x * y
    return total
r = f()
if r > 0:
    sign = "pos"
`);
    expect(module.globals.get('out')).toMatchObject({ elems: [0, 1, 3, 4, 5] });
    expect(module.globals.get('n')).toBe(5);
    expect(module.globals.get('r')).toBe(60);
    expect(module.globals.get('sign')).toBe('pos');
  });

  it('returns from inside loops', () => {
    check(`
def find(xs, t):
    for i, x in enumerate(xs):
        while True:
            if x == t:
                return i
            break
    return -1
assert_eq(find([5, 6, 7], 7), 2)
assert_eq(find([5], 9), -1)
`);
  });

  it('allows global reassignment and augmented assignment at top level', () => {
    const { module } = runStar('x = 1\nx = 2\nx += 3\nl = [1]\nl += [2]\nl2 = l\nl += (3,)\n');
    expect(module.globals.get('x')).toBe(5);
    expect(module.globals.get('l2')).toMatchObject({ elems: [1, 2, 3] });
  });

  it('supports every augmented assignment operator, on names, indexes and fields', () => {
    check(`
x = 100
x -= 1
x *= 2
x //= 3
x %= 50
x |= 1
x &= 0xff
x ^= 2
x <<= 2
x >>= 1
assert_eq(x, 38)
f = 1
f /= 4
assert_eq(f, 0.25)
l = [1, 2]
l[0] += 10
assert_eq(l, [11, 2])
d = {"k": "a"}
d["k"] += "b"
assert_eq(d["k"], "ab")
s = "a"
s += "b"
assert_eq(s, "ab")
t = (1,)
t += (2,)
assert_eq(t, (1, 2))
`);
  });

  it('iterates over every iterable type', () => {
    check(`
assert_eq([x for x in (1, 2)], [1, 2])
assert_eq([x for x in {"a": 1, "b": 2}], ["a", "b"])
assert_eq([x for x in set([3, 4])], [3, 4])
assert_eq([x for x in range(3)], [0, 1, 2])
assert_eq([x for x in range(10, 3, -3)], [10, 7, 4])
assert_fails(lambda: [x for x in 5], "int value is not iterable")
`);
  });
});

describe('comprehensions', () => {
  it('supports nested clauses, conditions, dict comprehensions and own scope', () => {
    check(`
assert_eq([x * y for x in range(1, 3) for y in range(x, 3) if x != y], [2])
assert_eq([(x, y) for x in [1, 2] if x > 1 for y in "ab".elems()], [(2, "a"), (2, "b")])
assert_eq({k: v for k, v in [("a", 1), ("b", 2)]}, {"a": 1, "b": 2})
assert_eq({x: x * x for x in range(3) if x}, {1: 1, 2: 4})
x = "outer"
y = [x for x in [1, 2]]
assert_eq(x, "outer")
assert_eq([[j for j in range(i)] for i in range(3)], [[], [0], [0, 1]])
assert_eq([1 // 0 for x in [] for y in z for z in ()], [])
assert_eq([x*y+z for (x, y), z in [((2, 3), 5), (("o", 2), "!")]], [11, "oo!"])
x0 = ([1, 2], [3, 4], [5, 6])
assert_eq([x*x for x in x0 for x in x if x%2 == 0], [4, 16, 36])
[(a, b), (c, d)] = {"a": "b", "c": "d"}.items()
assert_eq(a + b + c + d, "abcd")
e, f = {"e": 1, "f": 2}
assert_eq(e + f, "ef")
[zero, one, two] = range(3)
assert_eq(two, 2)
`);
    expect(runError('[1 // 0 for x in [1] for y in z for z in ()]').message).toBe('local variable z referenced before assignment');
  });
});

describe('frozen values', () => {
  it('freezes module globals after load', () => {
    const { module } = runStar('l = [1]\nd = {"a": 1}\ns = set([1])\ndef f(x = []):\n    x.append(1)\n    return x\n');
    const load = (_from: string, _path: string) => module;
    const src = (stmt: string) => `load("m.star", "l", "d", "s", "f")\n${stmt}\n`;
    expect(runError(src('l.append(2)'), { load }).message).toBe('append: cannot append to frozen list');
    expect(runError(src('l[0] = 2'), { load }).message).toContain('cannot assign to element of frozen list');
    expect(runError(src('d["b"] = 2'), { load }).message).toBe('cannot insert into frozen hash table');
    expect(runError(src('d.clear()'), { load }).message).toContain('cannot clear frozen hash table');
    expect(runError(src('s.add(5)'), { load }).message).toContain('cannot insert into frozen hash table');
    expect(runError(src('f()'), { load }).message).toContain('cannot append to frozen list');
    expect(runError(src('def g():\n    x = l\n    x += [1]\ng()'), { load }).message).toContain('cannot apply += to frozen list');
    expect(runError(src('l = 1'), { load }).message).toContain('cannot reassign l: it is bound by the load statement at line 1');
  });
});

describe('string formatting', () => {
  it('implements the % operator', () => {
    check(`
assert_eq("Hello %s, your score is %d" % ("Bob", 75), "Hello Bob, your score is 75")
assert_eq("%d %o %x %c" % (65, 65, 65, 65), "65 101 41 A")
assert_eq("%X %i %%" % (255, 3), "FF 3 %")
assert_eq("%(greeting)s, %(audience)s" % dict(greeting = "Hello", audience = "world"), "Hello, world")
assert_eq("rate = %g%% APR" % 3.5, "rate = 3.5% APR")
assert_eq("%r" % "x", '"x"')
assert_eq("%s" % [1], "[1]")
assert_eq("%s" % ((1, 2),), "(1, 2)")
assert_eq("%e" % 12345.678, "1.234568e+04")
assert_eq("%E" % 0.5, "5.000000E-01")
assert_eq("%f" % 3.14159265, "3.141593")
assert_eq("%F" % 2, "2.000000")
assert_eq("%g" % 1e20, "1e+20")
assert_eq("%c" % "é", "é")
assert_eq("%x" % -255, "-ff")
assert_eq("%d" % 3.9, "3")
assert_eq("%s %s" % (True, None), "True None")
assert_eq("no conversions" % (), "no conversions")
assert_fails(lambda: "coordinates=%s" % (40.7, -74.0), "too many arguments for format string")
assert_fails(lambda: "%s %s" % (1,), "not enough arguments for format string")
assert_fails(lambda: "%d" % "x", "%d format requires integer: cannot convert string to int")
assert_fails(lambda: "%z" % 1, "unknown conversion %z")
assert_fails(lambda: "%(a)s" % {}, 'key "a" not in dict')
assert_fails(lambda: "abc%" % (), "incomplete format")
`);
  });

  it('implements str.format', () => {
    check(`
assert_eq("a{x}b{y}c{}".format(1, x = 2, y = 3), "a2b3c1")
assert_eq("a{}b{}c".format(1, 2), "a1b2c")
assert_eq("({1}, {0})".format("zero", "one"), "(one, zero)")
assert_eq("Is {0!r} {0!s}?".format("heterological"), 'Is "heterological" heterological?')
assert_eq("{{}} {{{}}}".format(1), "{} {1}")
assert_eq("{:}".format(1), "1")
assert_fails(lambda: "{} {0}".format(1), "cannot switch from automatic field numbering to manual field specification")
assert_fails(lambda: "{0} {}".format(1), "cannot switch from manual field specification to automatic field numbering")
assert_fails(lambda: "{2}".format(1), "index 2 out of range")
assert_fails(lambda: "{x}".format(), "keyword x not found")
assert_fails(lambda: "{!x}".format(1), "unknown conversion !x")
assert_fails(lambda: "{".format(), "unmatched {")
assert_fails(lambda: "}".format(), "single }")
assert_fails(lambda: "{:>10}".format(1), "format spec features not supported")
`);
  });
});

describe('struct', () => {
  it('creates immutable records with attribute access', () => {
    check(`
s = struct(name = "db", port = 5432)
assert_eq(s.name, "db")
assert_eq(s.port, 5432)
assert_eq(str(s), 'struct(name = "db", port = 5432)')
assert_eq(type(s), "struct")
assert_eq(dir(s), ["name", "port"])
assert_eq(s, struct(port = 5432, name = "db"))
assert_true(s != struct(name = "db"))
assert_eq(hasattr(s, "name"), True)
assert_eq(getattr(s, "nope", 1), 1)
assert_fails(lambda: s.nope, "struct has no .nope field or method")
def set_field():
    s.name = "x"
assert_fails(set_field, "cannot set .name: struct fields are immutable")
assert_eq({s: 1}[struct(name = "db", port = 5432)], 1)
`);
  });
});
