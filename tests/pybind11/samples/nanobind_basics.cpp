// nanobind's everyday features, built for CPython 3.11 and for cpyext.
#include <nanobind/nanobind.h>
#include <nanobind/operators.h>
#include <nanobind/stl/function.h>
#include <nanobind/stl/map.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>
#include <nanobind/trampoline.h>

#include <stdexcept>
#include <string>
#include <thread>

namespace nb = nanobind;
using namespace nb::literals;

namespace {

struct Dog {
    explicit Dog(std::string name) : name(std::move(name)) {}
    virtual ~Dog() = default;
    virtual std::string bark() const { return name + ": woof!"; }
    std::string name;
};

// Lets Python subclasses override bark().
struct PyDog : Dog {
    NB_TRAMPOLINE(Dog, 1);
    std::string bark() const override { NB_OVERRIDE(bark); }
};

struct Vec2 {
    double x, y;
    Vec2(double x, double y) : x(x), y(y) {}
    Vec2 operator+(const Vec2 &o) const { return {x + o.x, y + o.y}; }
    Vec2 operator*(double s) const { return {x * s, y * s}; }
    bool operator==(const Vec2 &o) const { return x == o.x && y == o.y; }
};

enum class Shape { Circle = 1, Square = 2 };

// Runs the callable on a thread made in C++, which takes the GIL itself.
int call_on_cpp_thread(const std::function<int(int)> &f, int x) {
    int result = 0;
    {
        nb::gil_scoped_release release;
        std::thread worker([&] {
            nb::gil_scoped_acquire acquire;
            result = f(x);
        });
        worker.join();
    }
    return result;
}

}  // namespace

NB_MODULE(nanobind_basics, m) {
    m.doc() = "nanobind sample for cpyext";
    m.attr("ANSWER") = 42;
    m.def("add", [](int a, int b) { return a + b; }, "a"_a, "b"_a = 1, "Add two numbers.");
    m.def("add", [](const std::string &a, const std::string &b) { return a + b; });
    m.def("total", [](const std::vector<int> &v) { int s = 0; for (int x : v) s += x; return s; });
    m.def("shout", [](const std::map<std::string, int> &d) {
        std::map<std::string, int> r;
        for (const auto &kv : d) r[kv.first + "!"] = kv.second * 2;
        return r;
    });
    m.def("apply", [](const std::function<int(int)> &f, int x) { return f(x); });
    m.def("maybe", [](std::optional<int> x) { return x ? *x * 10 : -1; }, "x"_a = nb::none());
    m.def("everything", [](nb::args args, nb::kwargs kwargs) { return nb::make_tuple(args, kwargs); });
    m.def("fail_runtime", []() { throw std::runtime_error("boom"); });
    m.def("fail_index", []() { throw nb::index_error("out of range"); });
    m.def("call_on_cpp_thread", &call_on_cpp_thread);
    m.def("keys", [](const nb::dict &d) {
        nb::list out;
        for (auto [k, v] : d) out.append(k);
        return out;
    });

    nb::class_<Dog, PyDog>(m, "Dog")
        .def(nb::init<std::string>(), "name"_a)
        .def("bark", &Dog::bark)
        .def_rw("name", &Dog::name)
        .def_static("kind", []() { return "dog"; })
        .def("__repr__", [](const Dog &d) { return "<Dog " + d.name + ">"; });
    m.def("call_bark", [](const Dog &d) { return d.bark(); });

    nb::class_<Vec2>(m, "Vec2")
        .def(nb::init<double, double>())
        .def_ro("x", &Vec2::x)
        .def_ro("y", &Vec2::y)
        .def(nb::self + nb::self)
        .def(nb::self * double())
        .def(nb::self == nb::self);

    nb::enum_<Shape>(m, "Shape")
        .value("Circle", Shape::Circle)
        .value("Square", Shape::Square);
    m.def("other", [](Shape s) { return s == Shape::Circle ? Shape::Square : Shape::Circle; });
}
