#ifndef CPANGOCAIRO_SHIM_H
#define CPANGOCAIRO_SHIM_H
// One module for pango and cairo: two modules that both include cairo.h break a clean build.
#include <pango/pangocairo.h>
#include <cairo/cairo-pdf.h>
#endif
