/* The whole public API of libredline. */
#ifndef REDLINE_H
#define REDLINE_H

#include "redline/archive.h"
#include "redline/buf.h"
#include "redline/config.h"
#include "redline/diff.h"
#include "redline/error.h"
#include "redline/extract.h"
#include "redline/fetch.h"
#include "redline/label.h"
#include "redline/render.h"
#include "redline/report.h"
#include "redline/state.h"
#include "redline/strv.h"
#include "redline/structure.h"
#include "redline/update.h"
#include "redline/util.h"
#include "redline/watch.h"

#endif
