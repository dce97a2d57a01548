/* client.h - the `client` component kind; see models/client.c. */
#ifndef MDL_CLIENT_H
#define MDL_CLIENT_H

#include "sim/model.h"

extern const struct sim_model_ops mdl_client_ops;

#endif
