/* database.h - the `database` component kind; see models/database.c. */
#ifndef MDL_DATABASE_H
#define MDL_DATABASE_H

#include "sim/model.h"

extern const struct sim_model_ops mdl_database_ops;

#endif
