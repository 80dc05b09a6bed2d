def pure_double(x):
    return 2 * x
