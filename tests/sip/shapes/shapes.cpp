#include "shapes.h"
#include <cstdio>
#include <cstring>

int Shape::s_count = 0;
Shape::Shape(const char *name) : kind(Round), color(Red), m_name(name), m_factor(1.0) { ++s_count; }
Shape::~Shape() { --s_count; }
std::string Shape::describe() const { return "shape " + m_name; }
std::string Shape::report() const {
    char buf[64];
    snprintf(buf, sizeof buf, " area=%.3f", area());
    return describe() + buf;
}
const char *Shape::name() const { return m_name.c_str(); }
void Shape::scale(double f) { m_factor *= f; }
void Shape::scale(int num, int den) { m_factor = m_factor * num / den; }
void Shape::scale(const char *spec) { if (strcmp(spec, "double") == 0) m_factor *= 2; else throw BadShape(std::string("bad spec ") + spec); }
int Shape::count() { return s_count; }
void Shape::check(int v) const {
    if (v < 0) throw BadShape("negative");
    if (v > 100) throw std::out_of_range("too big");
}
Circle::Circle(double r) : Shape("circle"), m_r(r) {}
Circle::Circle(const Circle &o) : Shape("circle"), m_r(o.m_r) { m_factor = o.m_factor; }
double Circle::area() const { return 3.0 * m_r * m_r * m_factor * m_factor; }
double Circle::radius() const { return m_r * m_factor; }
bool Circle::operator==(const Circle &o) const { return radius() == o.radius(); }
Circle Circle::operator+(const Circle &o) const { return Circle(radius() + o.radius()); }

double total_area(const std::vector<Shape *> &shapes) {
    double t = 0;
    for (auto *s : shapes) t += s->area();
    return t;
}
std::string describe_all(Shape *a, Shape *b) { return a->report() + "; " + b->report(); }
int add(int a, int b) { return a + b; }
int add(const char *a, const char *b) { return (int)(strlen(a) * 10 + strlen(b)); }
Color next_color(Color c) { return c == Red ? Green : c == Green ? Blue : Red; }
