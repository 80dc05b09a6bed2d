// pybind11's everyday features, built for CPython 3.11 and for cpyext.
#include <pybind11/pybind11.h>
#include <pybind11/functional.h>
#include <pybind11/operators.h>
#include <pybind11/stl.h>

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace py = pybind11;

namespace {

int add(int a, int b) { return a + b; }

struct Pet {
    explicit Pet(std::string name) : name(std::move(name)) {}
    virtual ~Pet() = default;
    virtual std::string speak() const { return "..."; }
    std::string greet() const { return name + " says " + speak(); }
    std::string name;
    int age = 0;
};

struct Dog : Pet {
    using Pet::Pet;
    std::string speak() const override { return "woof"; }
    std::string fetch() const { return name + " fetches"; }
};

// Lets Python subclasses override speak().
struct PyPet : Pet {
    using Pet::Pet;
    std::string speak() const override { PYBIND11_OVERRIDE(std::string, Pet, speak); }
};

struct Vec2 {
    double x, y;
    Vec2(double x, double y) : x(x), y(y) {}
    Vec2 operator+(const Vec2 &o) const { return {x + o.x, y + o.y}; }
    Vec2 operator-(const Vec2 &o) const { return {x - o.x, y - o.y}; }
    Vec2 operator*(double s) const { return {x * s, y * s}; }
    Vec2 &operator+=(const Vec2 &o) { x += o.x; y += o.y; return *this; }
    bool operator==(const Vec2 &o) const { return x == o.x && y == o.y; }
    bool operator!=(const Vec2 &o) const { return !(*this == o); }
};

enum class Color { Red = 1, Green = 2, Blue = 4 };

class NotFound : public std::exception {
public:
    const char *what() const noexcept override { return "no such thing"; }
};

// A C++ sequence with a Python iterator and the buffer protocol.
class Bag {
public:
    explicit Bag(std::vector<double> v) : items(std::move(v)) {}
    std::vector<double> items;
};

// Runs the callable on a thread made in C++: pybind11 gives that thread a
// thread state of its own (PyThreadState_New) to take the GIL.
int call_on_cpp_thread(const std::function<int(int)> &f, int x) {
    int result = 0;
    {
        py::gil_scoped_release release;
        std::thread worker([&] {
            py::gil_scoped_acquire acquire;
            result = f(x);
        });
        worker.join();
    }
    return result;
}

}  // namespace

PYBIND11_MODULE(pybind11_basics, m) {
    m.doc() = "pybind11 sample for cpyext";
    m.attr("ANSWER") = 42;
    m.def("add", &add, "Add two integers.", py::arg("a"), py::arg("b") = 2);
    m.def("add", [](const std::string &a, const std::string &b) { return a + b; }, "Join two strings.");
    m.def("total", [](const std::vector<int> &v) { int s = 0; for (int x : v) s += x; return s; });
    m.def("shout", [](const std::map<std::string, int> &d) {
        std::map<std::string, int> r;
        for (const auto &kv : d) r[kv.first + "!"] = kv.second * 2;
        return r;
    });
    m.def("apply", [](const std::function<int(int)> &f, int x) { return f(x); });
    m.def("make_adder", [](int n) { return std::function<int(int)>([n](int x) { return x + n; }); });
    m.def("maybe", [](std::optional<int> x) { return x ? *x * 10 : -1; }, py::arg("x") = py::none());
    m.def("pair", []() { return std::make_pair(std::string("one"), 2.5); });
    m.def("everything", [](py::args args, py::kwargs kwargs) { return py::make_tuple(args, kwargs); });
    m.def("fail_runtime", []() { throw std::runtime_error("boom"); });
    m.def("fail_index", []() { throw py::index_error("out of range"); });
    m.def("fail_custom", []() { throw NotFound(); });
    m.def("call_on_cpp_thread", &call_on_cpp_thread);
    m.def("dict_keys", [](const py::dict &d) {
        py::list keys;
        for (auto item : d) keys.append(item.first);
        return keys;
    });
    m.def("type_name", [](const py::object &o) { return std::string(py::str(o.get_type().attr("__name__"))); });
    py::register_exception<NotFound>(m, "NotFound", PyExc_LookupError);

    py::class_<Pet, PyPet>(m, "Pet", py::dynamic_attr())
        .def(py::init<std::string>(), py::arg("name"))
        .def("speak", &Pet::speak)
        .def("greet", &Pet::greet)
        .def_readwrite("age", &Pet::age)
        .def_property("name", [](const Pet &p) { return p.name; }, [](Pet &p, const std::string &n) { p.name = n; })
        .def_static("kind", []() { return "pet"; })
        .def("__repr__", [](const Pet &p) { return "<Pet " + p.name + ">"; });
    py::class_<Dog, Pet>(m, "Dog")
        .def(py::init<std::string>())
        .def("fetch", &Dog::fetch);
    m.def("greet", [](const Pet &p) { return p.greet(); });
    m.def("adopt", [](const std::string &name) -> Pet * { return new Dog(name); }, py::return_value_policy::take_ownership);

    py::class_<Vec2>(m, "Vec2")
        .def(py::init<double, double>())
        .def_readonly("x", &Vec2::x)
        .def_readonly("y", &Vec2::y)
        .def(py::self + py::self)
        .def(py::self - py::self)
        .def(py::self * double())
        .def(py::self += py::self)
        .def(py::self == py::self)
        .def(py::self != py::self)
        .def(py::pickle([](const Vec2 &v) { return py::make_tuple(v.x, v.y); },
                        [](const py::tuple &t) { return Vec2(t[0].cast<double>(), t[1].cast<double>()); }))
        .def("__repr__", [](const Vec2 &v) { return "Vec2(" + std::to_string(v.x) + ", " + std::to_string(v.y) + ")"; });

    py::enum_<Color>(m, "Color", py::arithmetic())
        .value("Red", Color::Red)
        .value("Green", Color::Green)
        .value("Blue", Color::Blue);
    m.def("next_color", [](Color c) { return c == Color::Red ? Color::Green : Color::Blue; });

    py::class_<Bag>(m, "Bag", py::buffer_protocol())
        .def(py::init<std::vector<double>>())
        .def("__len__", [](const Bag &b) { return b.items.size(); })
        .def("__getitem__", [](const Bag &b, size_t i) {
            if (i >= b.items.size()) throw py::index_error();
            return b.items[i];
        })
        .def("__iter__", [](const Bag &b) { return py::make_iterator(b.items.begin(), b.items.end()); },
             py::keep_alive<0, 1>())
        .def_buffer([](Bag &b) {
            return py::buffer_info(b.items.data(), sizeof(double), py::format_descriptor<double>::format(), 1,
                                   {b.items.size()}, {sizeof(double)});
        });

    auto sub = m.def_submodule("sub", "a submodule");
    sub.def("twice", [](int x) { return 2 * x; });
}
