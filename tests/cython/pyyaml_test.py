import yaml
print("libyaml:", yaml.__with_libyaml__)
doc = """
name: cpyext
version: 3.11
tags: [c, api, rust]
nested:
  a: 1
  b: [true, false, null, 2.5, "s"]
  when: 2024-01-02
multi: |
  line one
  line two
anchors:
  base: &b {x: 1, y: 2}
  derived:
    <<: *b
    y: 3
"""
data = yaml.load(doc, Loader=yaml.CSafeLoader)
print(sorted(data.items(), key=str))
print(yaml.load(doc, Loader=yaml.CLoader) == yaml.load(doc, Loader=yaml.SafeLoader))
out = yaml.dump(data, Dumper=yaml.CDumper, sort_keys=True)
print(out)
print(yaml.safe_load(out) == data)
print(list(yaml.load_all("a: 1\n---\nb: 2\n", Loader=yaml.CSafeLoader)))
for ev in yaml.parse("k: [1, 2]", Loader=yaml.CLoader):
    print(type(ev).__name__, getattr(ev, "value", None))
print([t.__class__.__name__ for t in yaml.scan("a: b", Loader=yaml.CLoader)])
try:
    yaml.load("a: [1, 2", Loader=yaml.CSafeLoader)
except yaml.YAMLError as e:
    print("YAMLError", type(e).__name__, str(e).splitlines()[0])
print(yaml.dump({"u": "héllo ☃", "b": b"\x00\x01", "l": list(range(3))}, Dumper=yaml.CDumper, allow_unicode=True))
print(yaml.compose("x: 1", Loader=yaml.CLoader).value[0][0].value)
print("DONE")
