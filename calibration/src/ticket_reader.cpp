// SPDX-License-Identifier: Apache-2.0
// The streaming pass over a ticket export: libcsv splits the bytes into fields (RFC 4180
// quoting, strict mode reports malformed quotes), Howard Hinnant's date library parses
// timestamps with the mapping's format in its time zone (tz.h, the system's tz database).
#include <csv.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <unordered_map>

// date.h's parse() trips GCC 12's -Wmaybe-uninitialized where it is inlined into our code
// (a false positive inside the library's seconds parser); -Werror builds must not fail on it.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <date/date.h>
#include <date/tz.h>

#include "itsim/calibration/calibrate.hpp"
#include "itsim/scenarios/input_error.hpp"
#include "itsim/sim/error.hpp"

namespace itsim::calibration {

void Reservoir::add(double v) {
  ++count_;
  sum_ += v;
  if (values_.size() < max_samples) {
    values_.push_back(v);
    return;
  }
  // splitmix64: a fixed sequence, so that the same export keeps the same sample.
  state_ += 0x9e3779b97f4a7c15ULL;
  std::uint64_t z = state_;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  const std::uint64_t j = z % count_;
  if (j < max_samples) values_[j] = v;
}

double TicketSummary::span_weeks() const {
  return std::max(last_opened_h - first_opened_h, 24.0) / 168.0;
}

namespace {

/// A problem with one data row: skipped or reported, as the caller chose.
struct RowError {
  std::string message; ///< already located: FILE:ROW:COLUMN: ...
};

std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s.substr(0, 80)) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(c));
      out += buf;
    } else {
      out += c;
    }
  }
  if (s.size() > 80) out += "...";
  return out + "\"";
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return std::string(s);
}

/// Business hours (Monday to Friday, 09:00-17:00 local: the scenario's `business`
/// calendar) between two local times, in hours.
double business_hours(date::local_seconds a, date::local_seconds b) {
  using namespace std::chrono;
  if (b <= a) return 0;
  double total = 0;
  auto day = date::floor<date::days>(a);
  const auto last = date::floor<date::days>(b);
  for (; day <= last; day += date::days{1}) {
    const date::weekday wd{date::sys_days{day.time_since_epoch()}};
    if (wd == date::Saturday || wd == date::Sunday) continue;
    const date::local_seconds open = day + hours{9};
    const date::local_seconds close = day + hours{17};
    const auto from = std::max(open, a);
    const auto to = std::min(close, b);
    if (to > from) total += duration<double, std::ratio<3600>>(to - from).count();
  }
  return total;
}

/// Parses timestamp cells with the mapping's strftime-style format. The numeric formats
/// (%Y %y %m %d %H %M %S and literal characters, which every shipped mapping uses) are parsed
/// by hand: date::parse through a std::istringstream per cell took more than half of the
/// calibration (BM_Calibrate, a million rows: 4.0 s with it, 1.7 s without). Any other
/// format (month names, AM/PM) goes through date::parse.
class TimestampParser {
public:
  explicit TimestampParser(std::string format) : format_(std::move(format)) {
    for (std::size_t i = 0; i < format_.size(); ++i)
      if (format_[i] == '%' &&
          (i + 1 == format_.size() || std::strchr("YymdHMS", format_[++i]) == nullptr))
        fast_ = false;
  }

  const std::string& format() const { return format_; }

  /// False when `text` does not match the format or names no valid time.
  bool parse(std::string_view text, date::local_seconds& t) {
    if (fast_) return parse_fast(text, t);
    iss_.clear();
    iss_.str(std::string(text));
    iss_ >> date::parse(format_, t);
    return !(iss_.fail() || (iss_ >> std::ws, !iss_.eof()));
  }

private:
  bool parse_fast(std::string_view text, date::local_seconds& t) const {
    int y = 1970, mo = 1, d = 1, h = 0, mi = 0, se = 0;
    std::size_t p = 0;
    auto digits = [&](std::size_t most, int& out) {
      std::size_t n = 0;
      int v = 0;
      while (n < most && p < text.size() && text[p] >= '0' && text[p] <= '9') {
        v = v * 10 + (text[p] - '0');
        ++p;
        ++n;
      }
      out = v;
      return n > 0;
    };
    for (std::size_t i = 0; i < format_.size(); ++i) {
      const char f = format_[i];
      if (f == '%') {
        bool ok = true;
        switch (format_[++i]) {
        case 'Y':
          ok = digits(4, y);
          break;
        case 'y':
          ok = digits(2, y);
          y += y < 69 ? 2000 : 1900;
          break;
        case 'm':
          ok = digits(2, mo);
          break;
        case 'd':
          ok = digits(2, d);
          break;
        case 'H':
          ok = digits(2, h);
          break;
        case 'M':
          ok = digits(2, mi);
          break;
        default:
          ok = digits(2, se);
          break; // 'S'
        }
        if (!ok) return false;
      } else if (f == ' ' || f == '\t') {
        while (p < text.size() && (text[p] == ' ' || text[p] == '\t'))
          ++p;
      } else if (p < text.size() && text[p] == f) {
        ++p;
      } else {
        return false;
      }
    }
    if (p != text.size() || h > 23 || mi > 59 || se > 59) return false;
    const date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(mo)},
                                   date::day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return false;
    t = date::local_days{ymd} + std::chrono::hours{h} + std::chrono::minutes{mi} +
        std::chrono::seconds{se};
    return true;
  }

  std::string format_;
  bool fast_ = true;
  std::istringstream iss_;
};

class TicketReader {
public:
  TicketReader(std::string path, const scenarios::CalibrationMapping& m, bool skip)
      : path_(std::move(path)), m_(m), skip_(skip) {
    try {
      zone_ = date::locate_zone(m.time_zone);
    } catch (const std::exception&) {
      const auto& w = m.time_zone_where;
      throw ScenarioError(w.file + ":" + std::to_string(w.line) + ":" + std::to_string(w.column) +
                          ": timestamps.time_zone: unknown time zone " + quoted(m.time_zone) +
                          " (an IANA name such as \"Europe/Paris\" or \"UTC\")");
    }
    s_.file = path_;
    s_.tiers = m.tiers;
    s_.has_work_time = !m.columns.work_time.empty();
    assignees_.resize(m.tiers.size());
  }

  TicketSummary read() {
    std::ifstream in(path_, std::ios::binary);
    if (!in) throw scenarios::InputError(path_ + ": cannot read: " + std::strerror(errno));
    csv_parser p{};
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) throw Error("libcsv: out of memory");
    std::unique_ptr<csv_parser, void (*)(csv_parser*)> guard(&p, csv_free);
    csv_set_delim(&p, static_cast<unsigned char>(m_.delimiter));
    std::vector<char> buf(std::size_t{1} << 20);
    bool any = false;
    while (in) {
      in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
      const auto n = static_cast<std::size_t>(in.gcount());
      if (n == 0) break;
      any = true;
      if (std::memchr(buf.data(), '\0', n) != nullptr)
        fail_file(std::to_string(row_ + 1) + ": not CSV text: contains a NUL byte");
      if (csv_parse(&p, buf.data(), n, on_field, on_row, this) != n) not_csv(p);
    }
    if (in.bad()) throw scenarios::InputError(path_ + ": cannot read: " + std::strerror(errno));
    if (csv_fini(&p, on_field, on_row, this) != 0) not_csv(p);
    if (!any || row_ == 0) fail_file("empty file: expected a header row and one ticket a row");
    if (!errors_.empty()) throw_errors();
    if (s_.rows == 0) fail_file("no tickets after the header (row 1)");
    if (s_.rows == s_.skipped) fail_file("every row was bad: nothing to calibrate from");
    finish();
    return std::move(s_);
  }

private:
  static void on_field(void* s, std::size_t n, void* self) {
    auto* r = static_cast<TicketReader*>(self);
    if (r->nfields_ == r->fields_.size()) r->fields_.emplace_back();
    r->fields_[r->nfields_++].assign(static_cast<const char*>(s), n);
  }

  static void on_row(int, void* self) {
    auto* r = static_cast<TicketReader*>(self);
    ++r->row_;
    if (r->row_ == 1)
      r->header();
    else
      r->data_row();
    r->nfields_ = 0;
  }

  [[noreturn]] void fail_file(const std::string& what) { throw ScenarioError(path_ + ":" + what); }

  [[noreturn]] void not_csv(csv_parser& p) {
    fail_file(std::to_string(row_ + 1) + ": not CSV: " + csv_strerror(csv_error(&p)) +
              " (a quote inside an unquoted field, or text after a closing quote)");
  }

  void throw_errors() {
    std::string text;
    for (const std::string& e : errors_)
      text += (text.empty() ? "" : "\n") + e;
    if (error_count_ > errors_.size())
      text += "\n... and " + std::to_string(error_count_ - errors_.size()) + " more errors";
    throw ScenarioError(text);
  }

  void header() {
    std::vector<std::string> names(fields_.begin(),
                                   fields_.begin() + static_cast<std::ptrdiff_t>(nfields_));
    for (std::string& n : names) {
      n = trim(n);
      if (n.size() >= 3 && n.compare(0, 3, "\xEF\xBB\xBF") == 0) n.erase(0, 3); // BOM
    }
    ncols_ = names.size();
    std::string missing;
    auto col = [&](const std::string& name, const char* role, bool required) -> int {
      if (name.empty()) return -1; // an optional role the mapping leaves out
      (void)required;
      const auto it = std::find(names.begin(), names.end(), name);
      if (it == names.end()) {
        missing += "\n" + path_ + ":1: missing column " + quoted(name) + " (columns." + role +
                   " in " + m_.file + ")";
        return -1;
      }
      return static_cast<int>(it - names.begin());
    };
    const auto& c = m_.columns;
    i_id_ = col(c.id, "id", true);
    i_opened_ = col(c.opened, "opened", true);
    i_resolved_ = col(c.resolved, "resolved", true);
    i_priority_ = col(c.priority, "priority", true);
    i_group_ = col(c.group, "group", true);
    i_kind_ = col(c.kind, "kind", false);
    i_reassign_ = col(c.reassignments, "reassignments", false);
    i_reopen_ = col(c.reopens, "reopens", false);
    i_work_ = col(c.work_time, "work_time", false);
    i_assignee_ = col(c.assignee, "assignee", false);
    col(c.closed, "closed", false);
    names_ = std::move(names);
    if (!missing.empty()) {
      std::string have;
      for (const std::string& n : names_)
        have += (have.empty() ? "" : ", ") + n;
      if (have.size() > 200) have = have.substr(0, 200) + "...";
      throw ScenarioError(missing.substr(1) + "\n" + path_ + ":1: the header has: " + have);
    }
  }

  std::string where(int col) const {
    return path_ + ":" + std::to_string(row_) + ":" + names_[static_cast<std::size_t>(col)] + ": ";
  }

  std::string_view field(int col) const { return fields_[static_cast<std::size_t>(col)]; }

  /// Local time of a timestamp cell.
  date::local_seconds local_time(int col) {
    const std::string text = trim(field(col));
    date::local_seconds t{};
    if (!stamps_.parse(text, t))
      throw RowError{where(col) + "unparsable timestamp " + quoted(text) + " (format " +
                     quoted(m_.timestamp_format) + ")"};
    return t;
  }

  double hours_since_epoch(date::local_seconds t) const {
    const auto sys = zone_->to_sys(t, date::choose::earliest);
    return static_cast<double>(sys.time_since_epoch().count()) / 3600.0;
  }

  long count_cell(int col) {
    if (col < 0) return 0;
    const std::string text = trim(field(col));
    if (text.empty()) return 0;
    long v = 0;
    const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
    if (r.ec != std::errc() || r.ptr != text.data() + text.size() || v < 0)
      throw RowError{where(col) + "expected a count (0, 1, 2...), got " + quoted(text)};
    return v;
  }

  /// Work time in hours: a number in the mapping's unit, or H:MM:SS.
  double work_cell(int col) {
    const std::string text = trim(field(col));
    if (text.empty()) return std::nan("");
    double v = 0;
    if (text.find(':') != std::string::npos) {
      int h = 0;
      int mi = 0;
      int se = 0;
      char extra = 0;
      if (std::sscanf(text.c_str(), "%d:%d:%d%c", &h, &mi, &se, &extra) != 3 || h < 0 || mi < 0 ||
          mi > 59 || se < 0 || se > 59)
        throw RowError{where(col) + "expected a duration (a number or H:MM:SS), got " +
                       quoted(text)};
      return h + mi / 60.0 + se / 3600.0;
    }
    const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
    if (r.ec != std::errc() || r.ptr != text.data() + text.size() || !(v >= 0))
      throw RowError{where(col) + "expected a duration (a number or H:MM:SS), got " + quoted(text)};
    return v * m_.work_time_unit_h;
  }

  void data_row() {
    ++s_.rows;
    try {
      if (nfields_ != ncols_)
        throw RowError{path_ + ":" + std::to_string(row_) + ": expected " + std::to_string(ncols_) +
                       " fields as in the header, got " + std::to_string(nfields_)};
      ticket();
    } catch (const RowError& e) {
      if (skip_) {
        ++s_.skipped;
        if (s_.skip_messages.size() < 20) s_.skip_messages.push_back(e.message);
      } else {
        ++error_count_;
        if (errors_.size() < 200) errors_.push_back(e.message);
      }
    }
  }

  void ticket() {
    const std::string id = trim(field(i_id_));
    if (id.empty()) throw RowError{where(i_id_) + "empty ticket id"};
    const std::string prio = trim(field(i_priority_));
    const auto pit = m_.priorities.find(prio);
    if (pit == m_.priorities.end())
      throw RowError{where(i_priority_) + "unknown priority value " + quoted(prio) +
                     " (not in the mapping's priorities)"};
    const std::string group = trim(field(i_group_));
    std::string pool;
    if (const auto git = m_.groups.find(group); git != m_.groups.end())
      pool = git->second;
    else if (!m_.default_pool.empty())
      pool = m_.default_pool;
    else
      throw RowError{where(i_group_) + "unknown assignment group " + quoted(group) +
                     " (not in the mapping's groups, and no default_pool)"};
    const auto tier = static_cast<std::size_t>(std::find(m_.tiers.begin(), m_.tiers.end(), pool) -
                                               m_.tiers.begin());
    std::string type = m_.default_work_type;
    if (i_kind_ >= 0) {
      const std::string kind = trim(field(i_kind_));
      if (const auto kit = m_.work_types.find(kind); kit != m_.work_types.end()) type = kit->second;
    }
    const date::local_seconds opened = local_time(i_opened_);
    const double opened_h = hours_since_epoch(opened);
    const std::string resolved_text = trim(field(i_resolved_));
    std::optional<date::local_seconds> resolved;
    double resolved_h = 0;
    if (!resolved_text.empty()) {
      resolved = local_time(i_resolved_);
      resolved_h = hours_since_epoch(*resolved);
      if (resolved_h < opened_h)
        throw RowError{where(i_resolved_) + "resolved " + quoted(resolved_text) +
                       " before it was opened " + quoted(trim(field(i_opened_)))};
    }
    const long reassign = count_cell(i_reassign_);
    const long reopens = count_cell(i_reopen_);
    const double work = i_work_ >= 0 ? work_cell(i_work_) : std::nan("");
    // Last, so that a bad row does not leave its id behind.
    const std::uint64_t h = fnv1a(id);
    const auto [idit, fresh] = s_.ids.emplace(h, row_ << 16);
    if (!fresh)
      throw RowError{where(i_id_) + "duplicate ticket id " + quoted(id) + " (first at row " +
                     std::to_string(idit->second >> 16) + ")"};

    // Accumulate.
    auto wit = std::find(s_.work_types.begin(), s_.work_types.end(), type);
    if (wit == s_.work_types.end()) {
      s_.work_types.push_back(type);
      s_.types.emplace_back();
      s_.types.back().ended_at.assign(m_.tiers.size(), 0);
      s_.types.back().work_by_end.resize(m_.tiers.size());
      wit = s_.work_types.end() - 1;
    }
    const auto type_index = static_cast<std::size_t>(wit - s_.work_types.begin());
    idit->second |= type_index;
    WorkTypeStats& w = s_.types[type_index];
    ++w.tickets;
    ++w.by_priority[static_cast<std::size_t>(pit->second)];
    if (reopens > 0) ++w.reopened;
    if (first_) {
      s_.first_opened_h = s_.last_opened_h = opened_h;
      first_ = false;
    }
    s_.first_opened_h = std::min(s_.first_opened_h, opened_h);
    s_.last_opened_h = std::max(s_.last_opened_h, opened_h);
    const auto day = date::floor<date::days>(opened);
    const date::weekday wd{date::sys_days{day.time_since_epoch()}};
    ++s_.by_weekday[(wd.c_encoding() + 6) % 7];
    const auto hod = std::chrono::duration_cast<std::chrono::hours>(opened - day).count();
    ++s_.by_hour[static_cast<std::size_t>(hod)];
    first_day_ = std::min<long>(first_day_, day.time_since_epoch().count());
    last_day_ = std::max<long>(last_day_, day.time_since_epoch().count());
    week_of_.push_back(opened_h); // compacted to weekly counts in batches below
    if (week_of_.size() >= 65536) flush_weeks();
    if (i_assignee_ >= 0 && tier < assignees_.size()) {
      const std::string who = trim(field(i_assignee_));
      if (!who.empty() && assignees_[tier].size() < 100000) assignees_[tier].insert(who);
    }
    if (!resolved) return;
    ++w.resolved;
    ++w.ended_at[tier];
    if (reassign > static_cast<long>(tier)) ++w.bounced;
    w.lead_h[static_cast<std::size_t>(pit->second)].add(resolved_h - opened_h);
    if (reassign == static_cast<long>(tier)) {
      const double x = s_.has_work_time ? work : business_hours(opened, *resolved);
      if (std::isfinite(x)) w.work_by_end[tier].add(x);
    }
  }

  /// Weekly counts need the first opening, known only at the end: openings are kept in
  /// batches and counted against a provisional origin, re-based when an earlier one comes.
  void flush_weeks() {
    for (double t : week_of_) {
      if (!have_origin_) {
        origin_h_ = t;
        have_origin_ = true;
      }
      if (t < origin_h_) {
        const auto shift = static_cast<std::size_t>(std::ceil((origin_h_ - t) / 168.0));
        s_.by_week.insert(s_.by_week.begin(), shift, 0);
        origin_h_ -= static_cast<double>(shift) * 168.0;
      }
      const auto k = static_cast<std::size_t>((t - origin_h_) / 168.0);
      if (k >= s_.by_week.size()) s_.by_week.resize(k + 1, 0);
      ++s_.by_week[k];
    }
    week_of_.clear();
  }

  void finish() {
    flush_weeks();
    // Drop the last, partial week (it would read as a fall in demand).
    const double covered = s_.last_opened_h - origin_h_;
    if (s_.by_week.size() > 1 && covered < static_cast<double>(s_.by_week.size()) * 168.0)
      s_.by_week.pop_back();
    for (long d = first_day_; d <= last_day_; ++d) {
      const date::weekday wd{date::sys_days{date::days{d}}};
      ++s_.weekday_days[(wd.c_encoding() + 6) % 7];
    }
    for (const auto& a : assignees_)
      s_.assignees.push_back(a.size());
  }

  std::string path_;
  const scenarios::CalibrationMapping& m_;
  bool skip_;
  const date::time_zone* zone_ = nullptr;
  TicketSummary s_;
  std::vector<std::string> fields_;
  std::size_t nfields_ = 0;
  std::size_t ncols_ = 0;
  std::uint64_t row_ = 0;
  std::vector<std::string> names_;
  int i_id_ = -1, i_opened_ = -1, i_resolved_ = -1, i_priority_ = -1, i_group_ = -1;
  int i_kind_ = -1, i_reassign_ = -1, i_reopen_ = -1, i_work_ = -1, i_assignee_ = -1;
  TimestampParser stamps_{m_.timestamp_format};
  std::vector<std::string> errors_;
  std::uint64_t error_count_ = 0;
  std::vector<std::set<std::string>> assignees_;
  bool first_ = true;
  std::vector<double> week_of_;
  double origin_h_ = 0;
  bool have_origin_ = false;
  long first_day_ = std::numeric_limits<long>::max();
  long last_day_ = std::numeric_limits<long>::min();
};

/// The streaming pass over an audit/event log: per ticket, the tier it is in, the class of
/// its state and since when; a visit ends when the ticket moves to another tier (or is done
/// at the end of the log), and its moves and times go to the ticket's work type.
class EventReader {
public:
  EventReader(std::string path, const scenarios::CalibrationMapping& m, bool skip, TicketSummary& s)
      : path_(std::move(path)), m_(m), e_(m.events), skip_(skip), s_(s) {
    if (!e_.present)
      throw ScenarioError(m.file + ": --events needs an events: section in the mapping (the "
                                   "event log's columns and states; docs/calibration.md)");
    stats_.file = path_;
    stats_.has_state = !e_.state.empty();
    const std::size_t nt = m.tiers.size();
    for (WorkTypeStats& w : s_.types) {
      w.moves.assign(nt, std::vector<std::uint64_t>(nt + 1, 0));
      w.touch_by_tier.assign(nt, Reservoir{});
      w.wait_by_tier.assign(nt, Reservoir{});
    }
  }

  void read() {
    std::ifstream in(path_, std::ios::binary);
    if (!in) throw scenarios::InputError(path_ + ": cannot read: " + std::strerror(errno));
    csv_parser p{};
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) throw Error("libcsv: out of memory");
    std::unique_ptr<csv_parser, void (*)(csv_parser*)> guard(&p, csv_free);
    csv_set_delim(&p, static_cast<unsigned char>(m_.delimiter));
    std::vector<char> buf(std::size_t{1} << 20);
    while (in) {
      in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
      const auto n = static_cast<std::size_t>(in.gcount());
      if (n == 0) break;
      if (std::memchr(buf.data(), '\0', n) != nullptr)
        fail(std::to_string(row_ + 1) + ": not CSV text: contains a NUL byte");
      if (csv_parse(&p, buf.data(), n, on_field, on_row, this) != n) not_csv(p);
    }
    if (in.bad()) throw scenarios::InputError(path_ + ": cannot read: " + std::strerror(errno));
    if (csv_fini(&p, on_field, on_row, this) != 0) not_csv(p);
    if (row_ == 0) fail("empty file: expected a header row and one event a row");
    if (!errors_.empty()) {
      std::string text;
      for (const std::string& e : errors_)
        text += (text.empty() ? "" : "\n") + e;
      if (error_count_ > errors_.size())
        text += "\n... and " + std::to_string(error_count_ - errors_.size()) + " more errors";
      throw ScenarioError(text);
    }
    if (stats_.rows == 0) fail("no events after the header (row 1)");
    // The last visit of each ticket: done when its state says so (or there is no state).
    for (const auto& [h, o] : open_) {
      if (stats_.has_state && o.cls != done_class) {
        ++stats_.open_at_end;
        continue;
      }
      close_visit(o, m_.tiers.size());
    }
    stats_.tickets = open_.size();
    s_.events = std::move(stats_);
  }

private:
  static constexpr int work_class = 0;
  static constexpr int wait_class = 1;
  static constexpr int done_class = 2;

  struct Ticket {
    std::uint32_t type = 0;
    std::uint32_t tier = 0;
    int cls = work_class;
    date::local_seconds since{};
    double touch_h = 0;
    double wait_h = 0;
    std::uint64_t group = 0; ///< hash of the group's name (moves within a tier are lateral)
  };

  static void on_field(void* s, std::size_t n, void* self) {
    auto* r = static_cast<EventReader*>(self);
    if (r->nfields_ == r->fields_.size()) r->fields_.emplace_back();
    r->fields_[r->nfields_++].assign(static_cast<const char*>(s), n);
  }

  static void on_row(int, void* self) {
    auto* r = static_cast<EventReader*>(self);
    ++r->row_;
    if (r->row_ == 1)
      r->header();
    else
      r->data_row();
    r->nfields_ = 0;
  }

  [[noreturn]] void fail(const std::string& what) { throw ScenarioError(path_ + ":" + what); }

  [[noreturn]] void not_csv(csv_parser& p) {
    fail(std::to_string(row_ + 1) + ": not CSV: " + csv_strerror(csv_error(&p)) +
         " (a quote inside an unquoted field, or text after a closing quote)");
  }

  void header() {
    names_.assign(fields_.begin(), fields_.begin() + static_cast<std::ptrdiff_t>(nfields_));
    for (std::string& n : names_) {
      n = trim(n);
      if (n.size() >= 3 && n.compare(0, 3, "\xEF\xBB\xBF") == 0) n.erase(0, 3); // BOM
    }
    ncols_ = names_.size();
    std::string missing;
    auto col = [&](const std::string& name, const char* role) -> int {
      if (name.empty()) return -1;
      const auto it = std::find(names_.begin(), names_.end(), name);
      if (it == names_.end()) {
        missing += (missing.empty() ? "" : "\n") + path_ + ":1: missing column " + quoted(name) +
                   " (events.columns." + role + " in " + m_.file + ")";
        return -1;
      }
      return static_cast<int>(it - names_.begin());
    };
    i_id_ = col(e_.id, "id");
    i_at_ = col(e_.at, "at");
    i_group_ = col(e_.group, "group");
    i_state_ = col(e_.state, "state");
    if (!missing.empty()) throw ScenarioError(missing);
  }

  std::string where(int col) const {
    return path_ + ":" + std::to_string(row_) + ":" + names_[static_cast<std::size_t>(col)] + ": ";
  }

  void data_row() {
    ++stats_.rows;
    try {
      if (nfields_ != ncols_)
        throw RowError{path_ + ":" + std::to_string(row_) + ": expected " + std::to_string(ncols_) +
                       " fields as in the header, got " + std::to_string(nfields_)};
      event();
    } catch (const RowError& e) {
      if (skip_) {
        ++stats_.skipped;
        if (stats_.skip_messages.size() < 20) stats_.skip_messages.push_back(e.message);
      } else {
        ++error_count_;
        if (errors_.size() < 200) errors_.push_back(e.message);
      }
    }
  }

  void event() {
    const std::string id = trim(fields_[static_cast<std::size_t>(i_id_)]);
    if (id.empty()) throw RowError{where(i_id_) + "empty ticket id"};
    const std::uint64_t h = fnv1a(id);
    const auto known = s_.ids.find(h);
    if (known == s_.ids.end()) {
      ++stats_.unknown_tickets;
      return;
    }
    const std::string group = trim(fields_[static_cast<std::size_t>(i_group_)]);
    std::string pool;
    if (const auto git = m_.groups.find(group); git != m_.groups.end())
      pool = git->second;
    else if (!m_.default_pool.empty())
      pool = m_.default_pool;
    else
      throw RowError{where(i_group_) + "unknown assignment group " + quoted(group) +
                     " (not in the mapping's groups, and no default_pool)"};
    const auto tier = static_cast<std::uint32_t>(std::find(m_.tiers.begin(), m_.tiers.end(), pool) -
                                                 m_.tiers.begin());
    int cls = work_class;
    if (i_state_ >= 0) {
      const std::string state = trim(fields_[static_cast<std::size_t>(i_state_)]);
      const auto sit = e_.states.find(state);
      if (sit == e_.states.end())
        throw RowError{where(i_state_) + "unknown state value " + quoted(state) +
                       " (not in the mapping's events.states work, wait or done)"};
      cls = sit->second;
    }
    const std::string at_text = trim(fields_[static_cast<std::size_t>(i_at_)]);
    date::local_seconds at{};
    if (!stamps_.parse(at_text, at))
      throw RowError{where(i_at_) + "unparsable timestamp " + quoted(at_text) + " (format " +
                     quoted(format_) + ")"};
    const auto [it, fresh] = open_.try_emplace(h);
    Ticket& t = it->second;
    if (fresh) {
      t.type = static_cast<std::uint32_t>(known->second & 0xffff);
      t.tier = tier;
      t.cls = cls;
      t.since = at;
      t.group = fnv1a(group);
      return;
    }
    if (at < t.since)
      throw RowError{where(i_at_) + quoted(at_text) +
                     " is before the ticket's previous event: the log must be in time order "
                     "within each ticket"};
    if (t.cls == work_class)
      t.touch_h += business_hours(t.since, at);
    else if (t.cls == wait_class)
      t.wait_h += std::chrono::duration<double, std::ratio<3600>>(at - t.since).count();
    const std::uint64_t g = fnv1a(group);
    if (tier != t.tier) {
      // A ticket done at one tier and reopened at another: the first visit ended done.
      close_visit(t, t.cls == done_class ? m_.tiers.size() : tier);
      t.tier = tier;
      t.touch_h = t.wait_h = 0;
    } else if (g != t.group) {
      ++s_.types[t.type].lateral;
    }
    t.group = g;
    t.cls = cls;
    t.since = at;
  }

  /// The end of a visit: to tier `next`, or done when next is the number of tiers.
  void close_visit(const Ticket& t, std::size_t next) {
    WorkTypeStats& w = s_.types[t.type];
    ++w.moves[t.tier][next];
    w.touch_by_tier[t.tier].add(t.touch_h);
    w.wait_by_tier[t.tier].add(t.wait_h);
  }

  std::string path_;
  const scenarios::CalibrationMapping& m_;
  const scenarios::CalibrationMapping::Events& e_;
  bool skip_;
  TicketSummary& s_;
  EventLogStats stats_;
  std::string format_ = e_.timestamp_format.empty() ? m_.timestamp_format : e_.timestamp_format;
  TimestampParser stamps_{format_};
  std::vector<std::string> fields_;
  std::vector<std::string> names_;
  std::size_t nfields_ = 0;
  std::size_t ncols_ = 0;
  std::uint64_t row_ = 0;
  int i_id_ = -1, i_at_ = -1, i_group_ = -1, i_state_ = -1;
  std::unordered_map<std::uint64_t, Ticket> open_;
  std::vector<std::string> errors_;
  std::uint64_t error_count_ = 0;
};

} // namespace

void read_events(const std::string& path, const scenarios::CalibrationMapping& mapping,
                 bool skip_bad_rows, TicketSummary& summary) {
  EventReader(path, mapping, skip_bad_rows, summary).read();
}

TicketSummary read_tickets(const std::string& path, const scenarios::CalibrationMapping& mapping,
                           bool skip_bad_rows) {
  return TicketReader(path, mapping, skip_bad_rows).read();
}

} // namespace itsim::calibration

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
