"""A real package from PyPI: markupsafe, with its C speedups."""
import markupsafe
import markupsafe._speedups

print("markupsafe:", markupsafe.escape("<a href='x'>&</a>"),
      "| escaping runs the C speedup:", markupsafe._escape_inner is markupsafe._speedups._escape_inner,
      "from", markupsafe._speedups.__file__.rsplit("/", 1)[-1])
