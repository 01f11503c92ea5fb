#include "trace/trace-hw_rot.h"
