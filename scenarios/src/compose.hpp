// SPDX-License-Identifier: Apache-2.0
// PRIVATE header of itsim_scenarios: composing a scenario from files (`extends:`) and
// command-line overrides (`--set KEY.PATH=VALUE`), before schema validation.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "itsim/scenarios/diagnostics.hpp"
#include "tree.hpp"

namespace itsim::scenarios {

/// Deepest chain of `extends:` followed (a -> b -> c is depth 3).
inline constexpr int max_extends_depth = 16;

/// Loads the scenario file `path` and everything it extends, merged into one tree.
///
/// `extends:` (top level only) is a path or a sequence of paths, each relative to the
/// directory of the file that names it. The bases are applied in order, each composed
/// recursively, then the file itself on top: maps merge key by key (recursively), while
/// sequences, scalars and nulls replace what was there. The merged tree has no `extends`
/// key. Every node keeps the location of the file it came from.
///
/// Throws InputError only when `path` itself cannot be read (exit 66). Everything else is
/// reported to `diags` (located at the offending `extends` entry where there is one) and
/// yields a null tree when nothing usable was loaded: a syntax error in any file, a base
/// that cannot be read (`cannot read "base.yaml": No such file or directory`), an
/// `extends` that is not a string or a sequence of strings, a cycle
/// (`extends cycle: a.yaml -> b.yaml -> a.yaml`), a chain deeper than max_extends_depth.
///
/// Details: any of those errors, anywhere in the chain, gives a null tree (the other bases
/// are still followed so that all their errors are reported); duplicate keys alone keep
/// the tree, as in load_yaml_file. Key paths of these errors are `extends` or
/// `extends[1]` (0-based). A base is shown as joined (`dir/of/including/base.yaml`) in
/// locations and cycles, but as written in `cannot read`. Cycles are found by
/// std::filesystem::weakly_canonical path and the message lists the files from the first
/// one repeated. Each file is read and parsed once however often it is named, and at most
/// 1000 files are reached through `extends` in all (a file naming the same base many
/// times at every level would otherwise take exponential time).
Tree load_composed_file(const std::string& path, Diagnostics& diags);

/// As load_composed_file, for text already in memory labelled `file_label` (used in
/// locations); relative `extends` paths are resolved against `base_dir`.
Tree load_composed_string(std::string text, const std::string& file_label,
                          const std::string& base_dir, Diagnostics& diags);

/// Merges `over` into `base`: maps key by key (recursively, new keys appended in `over`'s
/// order), anything else replaces; a key whose value in `over` is null removes the key
/// from `base`.
void merge_into(Tree& base, Tree over);

/// Answers whether a key path (dotted, e.g. "demand.work_types.incident.rate") names a
/// setting the format knows, whether or not the tree holds it.
using PathKnown = std::function<bool(std::string_view key_path)>;

/// Applies one command-line override `KEY.PATH=VALUE` to `root` (a map).
///
/// KEY.PATH is a dotted path of map keys (no sequence indices). VALUE is parsed as YAML (a
/// scalar, `[a, b]`, `{k: v}`, or empty for null); its nodes are located at
/// `{label, ordinal, column}` where label is "--set", ordinal the 1-based position of this
/// override on the command line and column the 1-based byte column inside `assignment`.
/// Every map on the path must exist in `root` except that a key the format knows
/// (`known`) may be created, intermediate maps included. Otherwise the override is
/// rejected: no '=' (`expected KEY.PATH=VALUE`), an empty path or segment, a path through
/// a scalar or sequence, or a key that neither exists nor is known: `no setting
/// "demand.work_typs" (did you mean "work_types"?)`, with the suggestion drawn from the
/// keys present at that level. On error `root` is left unchanged.
///
/// Details: a path error is located at the segment at fault, with KEY.PATH as written up
/// to and including it as the key path, as the schema reports unknown keys:
/// `--set:2:8: demand.work_typs: no setting "demand.work_typs" (did you mean ...)`; a path
/// through a scalar, at the key after it: `--set:1:6: seed.x: "seed" is a scalar, not a
/// map`; an empty segment, with the whole KEY.PATH: `--set:1:3: a..b: empty key in the
/// path`. A null on the path counts as an empty map. VALUE is parsed with load_yaml_value,
/// its errors relocated into the assignment and their key paths continuing KEY.PATH
/// (`--set:1:16: demand.x.a: duplicate key "a" ...`); an empty VALUE is located just after
/// '='. The
/// value replaces what was at KEY.PATH (maps are not merged); an existing key keeps its
/// location.
void apply_override(Tree& root, std::string_view assignment, int ordinal, const PathKnown& known,
                    Diagnostics& diags);

/// The syntax checks of apply_override alone (an '=', a non-empty KEY.PATH without empty
/// segments), with the same messages; true when `assignment` passes them. The command line
/// runs them first: a malformed --set is a usage error, not an invalid scenario.
bool check_override_syntax(std::string_view assignment, int ordinal, Diagnostics& diags);

} // namespace itsim::scenarios
