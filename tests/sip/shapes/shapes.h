#pragma once
#include <string>
#include <stdexcept>
#include <vector>

enum Color { Red, Green = 5, Blue };

class BadShape : public std::runtime_error {
public:
    explicit BadShape(const std::string &m) : std::runtime_error(m) {}
};

class Shape {
public:
    enum Kind { Round, Angular };
    Shape(const char *name);
    virtual ~Shape();
    virtual double area() const = 0;
    virtual std::string describe() const;
    std::string report() const;           // calls the virtuals
    const char *name() const;
    void scale(double f);
    void scale(int num, int den);
    void scale(const char *spec);
    Kind kind;
    Color color;
    static int count();
    void check(int v) const;              // throws BadShape / std::out_of_range
protected:
    std::string m_name;
    double m_factor;
    static int s_count;
};

class Circle : public Shape {
public:
    Circle(double r);
    Circle(const Circle &o);
    double area() const override;
    double radius() const;
    bool operator==(const Circle &o) const;
    Circle operator+(const Circle &o) const;
private:
    double m_r;
};

double total_area(const std::vector<Shape *> &shapes);
std::string describe_all(Shape *a, Shape *b);
int add(int a, int b);
int add(const char *a, const char *b);
Color next_color(Color c);
