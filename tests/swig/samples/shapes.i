/* A C++ module using the SWIG features packages lean on: directors (C++
   virtuals overridden in Python), C++ exceptions mapped to Python ones,
   operators, STL containers and strings, a writable-buffer typemap,
   templates, static members and overloads. */
%module(directors="1") shapes

%include <std_string.i>
%include <std_vector.i>
%include <std_map.i>
%include <exception.i>
%include <pybuffer.i>

%{
#include <stdexcept>
#include <string>
#include <vector>
#include <map>
#include <cstring>

struct Vec2 {
    double x, y;
    Vec2(double x = 0, double y = 0) : x(x), y(y) {}
    Vec2 operator+(const Vec2 &o) const { return Vec2(x + o.x, y + o.y); }
    Vec2 operator*(double k) const { return Vec2(x * k, y * k); }
    bool operator==(const Vec2 &o) const { return x == o.x && y == o.y; }
    bool operator<(const Vec2 &o) const { return x * x + y * y < o.x * o.x + o.y * o.y; }
    Vec2 &operator+=(const Vec2 &o) { x += o.x; y += o.y; return *this; }
    double operator[](int i) const { if (i < 0 || i > 1) throw std::out_of_range("Vec2 index"); return i ? y : x; }
};

class Shape {
public:
    static int live;
    std::string name;
    Shape(const std::string &name) : name(name) { ++live; }
    virtual ~Shape() { --live; }
    virtual double area() const = 0;
    virtual std::string describe() const { return name + " of area " + std::to_string((long long)(area() * 100)); }
};
int Shape::live = 0;

class Square : public Shape {
public:
    double side;
    Square(double side) : Shape("square"), side(side) {
        if (side < 0) throw std::invalid_argument("negative side");
    }
    double area() const override { return side * side; }
};

/* C++ calling back into Python through the director. */
double total_area(const std::vector<Shape *> &shapes) {
    double total = 0;
    for (auto *s : shapes) total += s->area();
    return total;
}
std::string describe_all(const std::vector<Shape *> &shapes) {
    std::string out;
    for (auto *s : shapes) out += s->describe() + ";";
    return out;
}

std::map<std::string, int> word_lengths(const std::vector<std::string> &words) {
    std::map<std::string, int> m;
    for (auto &w : words) m[w] = (int)w.size();
    return m;
}
std::vector<double> scaled(const std::vector<double> &v, double k) {
    std::vector<double> out;
    for (double d : v) out.push_back(d * k);
    return out;
}

int fill(char *buf, size_t len) {
    for (size_t i = 0; i < len; i++) buf[i] = (char)('a' + i % 26);
    return (int)len;
}

int overloaded(int) { return 1; }
int overloaded(double) { return 2; }
int overloaded(const std::string &) { return 3; }

template <typename T> struct Box {
    T value;
    Box(T v) : value(v) {}
    T get() const { return value; }
};

/* C function pointers passed from Python (%callback). */
int negate(int x) { return -x; }
struct Ops {
    static int twice(int x) { return 2 * x; }
};
int apply(int (*f)(int), int x) { return f(x); }
%}

%exception {
    try {
        $action
    } catch (const std::out_of_range &e) {
        SWIG_exception(SWIG_IndexError, e.what());
    } catch (const std::invalid_argument &e) {
        SWIG_exception(SWIG_ValueError, e.what());
    } catch (Swig::DirectorException &) {
        /* A Python override raised: its exception is set already. */
        SWIG_fail;
    }
}

%feature("director") Shape;
%pybuffer_mutable_binary(char *buf, size_t len);

%template(DoubleVector) std::vector<double>;
%template(StringVector) std::vector<std::string>;
%template(ShapeVector) std::vector<Shape *>;
%template(StringIntMap) std::map<std::string, int>;

%rename(at) Vec2::operator[];
%rename(__iadd__) Vec2::operator+=;

struct Vec2 {
    double x, y;
    Vec2(double x = 0, double y = 0);
    Vec2 operator+(const Vec2 &o) const;
    Vec2 operator*(double k) const;
    bool operator==(const Vec2 &o) const;
    bool operator<(const Vec2 &o) const;
    Vec2 &operator+=(const Vec2 &o);
    double operator[](int i) const;
};

class Shape {
public:
    static int live;
    std::string name;
    Shape(const std::string &name);
    virtual ~Shape();
    virtual double area() const = 0;
    virtual std::string describe() const;
};

class Square : public Shape {
public:
    double side;
    Square(double side);
    double area() const override;
};

double total_area(const std::vector<Shape *> &shapes);
std::string describe_all(const std::vector<Shape *> &shapes);
std::map<std::string, int> word_lengths(const std::vector<std::string> &words);
std::vector<double> scaled(const std::vector<double> &v, double k);
int fill(char *buf, size_t len);
int overloaded(int);
int overloaded(double);
int overloaded(const std::string &);

template <typename T> struct Box {
    T value;
    Box(T v);
    T get() const;
};
%template(IntBox) Box<int>;
%template(StringBox) Box<std::string>;

%callback("%s_cb");
int negate(int x);
%nocallback;
struct Ops {
%callback("%s_cb");
    static int twice(int x);
%nocallback;
};
int apply(int (*f)(int), int x);
