// SPDX-License-Identifier: Apache-2.0
// The `levers:` section of the scenario format: the controls `itsim serve` shows (docs/
// serve.md). A lever names a key of the format and the values a person may give it; it is
// metadata for the page and never changes a run. Every key's description becomes its
// documentation, as in scenario_schema.cpp.
#include "itsim/scenarios/scenario.hpp"
#include "schema.hpp"

namespace itsim::scenarios::schema {

Node detail::lever() {
  using Lever = Scenario::Lever;
  return object(
      "A control of `itsim serve`'s page (docs/serve.md): a key of this format with the "
      "values a person may give it, a range (`min`, `max`, `step`) or a list of `choices`; "
      "or, with `show: models`, which models the page shows. A lever's value is applied as "
      "`--set KEY=VALUE` and checked by the same validator. Levers never change a run.",
      {
          {"label",
           string("What the page writes beside the control.").require().into(&Lever::label)},
          {"key", string("The key path the lever sets, as `--set` names it (e.g. "
                         "`staff.pools.l1.headcount`); left out with `show`.")
                      .require_unless("show")
                      .into(&Lever::key)},
          {"min", number("Smallest value of a range lever.").into(&Lever::min)},
          {"max", number("Largest value of a range lever.").into(&Lever::max)},
          {"step", number("Step of a range lever's slider; values off the grid are accepted.")
                       .min(0, true)
                       .def("1")
                       .into(&Lever::step)},
          {"choices",
           list("The values of a choice lever, as `--set` would write them.", string("One value."))
               .items(1, 100)},
          {"show", detail::choice_node("Instead of a key: `models`, a choice of which models "
                                       "the page's table and charts show (all, or one with "
                                       "the baseline); no run changes.",
                                       {"models"})},
      });
}

} // namespace itsim::scenarios::schema
