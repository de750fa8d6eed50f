// Training as an aggregate: mf_fit(user, item, weight[, options]) collects
// interactions from any query (WHERE, GROUP BY, parallel plans) and returns a
// model value, supplyml.mf_model: the encoded registry payload (a bytea
// domain). mf_publish(name, value) registers it as the next version of a
// model. Both go through the same fit and publish path as mf_train
// (reco.hpp). Marshalling and errors only.
#include <chrono>
#include <cstring>

#include "aggstate.hpp"
#include "datum.hpp"
#include "reco.hpp"
#include "registry.hpp"

using namespace supplyml;
using namespace supplyml::pg;

namespace {

Oid key_type_arg(FunctionCallInfo fcinfo, int argno, const char* what) {
  const Oid t = get_fn_expr_argtype(fcinfo->flinfo, argno);
  if (t == UNKNOWNOID) return TEXTOID;
  if (!is_key_type(t))
    throw Error(sqlstate::kDatatypeMismatch, std::string(what) + " of mf_fit must be an integer or text",
                "The argument is of type " + std::string(call([&] { return format_type_be(t); })) + ".",
                "Pass a smallint, integer, bigint or text id, or cast it to one of those.");
  return t;
}

// The options argument's bytes (a constant, in the usual case, arrives
// untoasted on every row, and is read without a detour through pg::call).
struct Bytes {
  const char* data = nullptr;
  std::size_t size = 0;
};
Bytes options_bytes(FunctionCallInfo fcinfo) {
  if (PG_NARGS() < 5 || PG_ARGISNULL(4)) return {};
  Datum d = PG_GETARG_DATUM(4);
  struct varlena* v = reinterpret_cast<struct varlena*>(DatumGetPointer(d));
  if (VARATT_IS_EXTENDED(v) && !VARATT_IS_SHORT(v)) v = call([&] { return PG_DETOAST_DATUM_PACKED(d); });
  return {VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v)};
}
bool same_options(const Bytes& b, const std::string& s) {
  return b.size == s.size() && (b.size == 0 || std::memcmp(b.data, s.data(), b.size) == 0);
}

[[noreturn]] void options_differ() {
  invalid_parameter("options of mf_fit differ between rows",
                    "One model is fitted per group, with one set of options.",
                    "Pass the same options (a constant) on every row of a group.");
}

// The training settings of a state; enums travel as int32 and are checked.
template <class V, class S>
void visit_settings(V& v, S& s) {
  AlsOptions& o = s.als;
  v(s.options);
  auto enum_field = [&](auto& e) {
    auto n = static_cast<std::int32_t>(e);
    v(n);
    if constexpr (V::kReading) {
      if (n < 0 || n > 1) v.bytes().fail();
      e = static_cast<std::remove_reference_t<decltype(e)>>(n);
    }
  };
  enum_field(o.feedback);
  enum_field(o.solver);
  enum_field(o.scaling);
  enum_field(o.precision);
  v(o.factors);
  v(o.iterations);
  v(o.cg_steps);
  v(o.regularization);
  v(o.alpha);
  v(o.epsilon);
  v(o.seed);
  v(s.verbose);
  v(s.user_cstring);
  v(s.item_cstring);
  if constexpr (V::kReading)
    if (s.configured) validate(o);
}

void write_keys(ByteWriter& w, const KeyDictionary& d) {
  w.put<std::uint8_t>(d.is_text() ? 1 : 0);
  w.put<std::uint32_t>(d.type());
  if (d.is_text()) {
    w.put<std::uint64_t>(d.size());
    for (std::size_t j = 0; j < d.size(); ++j) {
      const std::string_view k = d.text_key(static_cast<std::int32_t>(j));
      w.put<std::uint64_t>(k.size());  // as put_string writes a string
      w.append(k.data(), k.size());
    }
  } else {
    w.put_vector(d.int_keys());
  }
}

// Keys read into mr (the state's own resource, in the aggregate context).
KeyDictionary read_keys(ByteReader& r, std::pmr::memory_resource* mr) {
  const bool text = r.get<std::uint8_t>() != 0;
  const Oid type = r.get<std::uint32_t>();
  if (text != (type == TEXTOID) || !is_key_type(type)) r.fail();
  KeyDictionary d = KeyDictionary::of_type(type, mr);
  if (text) {
    const auto n = r.get<std::uint64_t>();
    for (std::uint64_t j = 0; j < n; ++j)
      if (d.add(r.get_string()) != static_cast<std::int32_t>(j)) r.fail();  // keys are distinct
  } else {
    const auto keys = r.get_vector<std::int64_t>();
    for (std::size_t j = 0; j < keys.size(); ++j)
      if (d.add(keys[j]) != static_cast<std::int32_t>(j)) r.fail();
  }
  return d;
}

// Adds every key of `from` to `into`; returns the new id of each old one.
std::vector<std::int32_t> merge_keys(KeyDictionary& into, const KeyDictionary& from) {
  if (into.is_text() != from.is_text()) corrupted("mf_fit partial states have different key types");
  return into.merge(from);
}

}  // namespace

namespace supplyml::pg {
// Keys of a state, written by write_keys and read by read_keys.
template <class V>
void visit_fields(V& v, KeyDictionary& d) {
  if constexpr (V::kReading) {
    d = read_keys(v.bytes(), d.resource());
  } else {
    write_keys(v.bytes(), d);
  }
}
}  // namespace supplyml::pg

namespace {

// Interactions of one group: keys as dictionaries, rows as dense ids.
struct FitState {
  static constexpr const char* kName = "mf_fit";
  bool configured = false;
  AlsOptions als;
  bool verbose = false;
  std::string options;  // the raw options jsonb bytes of the first row
  bool user_cstring = false, item_cstring = false;  // untyped literals ('abc') arrive as C strings
  KeyDictionary users, items;     // in the aggregate context (new_state), as are
  pg::vector<std::int32_t> u, i;  // the rows
  pg::vector<double> w;

  template <class V>
  void fields(V& v) {
    v(configured);
    visit_settings(v, *this);
    v(users);
    v(items);
    v(u);
    v(i);
    v(w);
  }
  bool consistent() const {
    if (i.size() != u.size() || w.size() != u.size()) return false;
    for (std::size_t j = 0; j < u.size(); ++j)
      if (u[j] < 0 || static_cast<std::size_t>(u[j]) >= users.size() || i[j] < 0 ||
          static_cast<std::size_t>(i[j]) >= items.size())
        return false;
    return true;
  }
  // Adds o's rows, renumbering its keys into this state's dictionaries.
  void merge(const FitState& o) {
    if (!o.configured) return;  // a state that has seen no row
    if (!configured) {
      configured = true;
      als = o.als;
      verbose = o.verbose;
      options = o.options;
      users = KeyDictionary::of_type(o.users.type(), users.resource());
      items = KeyDictionary::of_type(o.items.type(), items.resource());
    } else if (options != o.options) {
      options_differ();
    }
    const auto um = merge_keys(users, o.users);
    const auto im = merge_keys(items, o.items);
    const std::size_t n = u.size();
    u.resize(n + o.u.size());
    i.resize(n + o.i.size());
    for (std::size_t j = 0; j < o.u.size(); ++j) {
      u[n + j] = um[static_cast<std::size_t>(o.u[j])];
      i[n + j] = im[static_cast<std::size_t>(o.i[j])];
    }
    w.insert(w.end(), o.w.begin(), o.w.end());
  }
};

// The options of the first row; the same keys as mf_train's arguments and options.
void configure(FunctionCallInfo fcinfo, FitState* s) {
  Options opt(fcinfo, PG_NARGS() >= 5 ? 4 : -1, "supplyml.mf_fit");
  AlsOptions& o = s->als;
  o.factors = static_cast<int>(opt.integer("factors", 64, 1, 1024));
  o.iterations = static_cast<int>(opt.integer("iterations", 15, 1, 1000));
  o.regularization = opt.number("regularization", 0.01, 0, kMaxRegularization);
  o.feedback = parse_feedback(opt.choice("feedback", "implicit", {"implicit", "explicit"}));
  o.alpha = opt.number("alpha", 1.0, 0, kMaxAlpha);
  o.seed = static_cast<std::uint64_t>(opt.integer("seed", 42, INT64_MIN, INT64_MAX));
  read_solver_options(opt, o, &s->verbose);
  opt.finish();
  validate(o);
  const Bytes b = options_bytes(fcinfo);
  s->options.assign(b.data ? b.data : "", b.size);
}

}  // namespace

// mf_fit transition: (state, user, item, weight[, options])
SML_FUNCTION(sml_mf_fit_transfn) {
  FitState* s = state_arg<FitState>(fcinfo, 0);
  if (!s) {
    const Oid ut = key_type_arg(fcinfo, 1, "user id");
    const Oid it = key_type_arg(fcinfo, 2, "item id");
    s = new_state<FitState>(fcinfo, "mf_fit");
    configure(fcinfo, s);
    s->users = KeyDictionary::of_type(ut, s->users.resource());
    s->items = KeyDictionary::of_type(it, s->items.resource());
    s->user_cstring = get_fn_expr_argtype(fcinfo->flinfo, 1) == UNKNOWNOID;
    s->item_cstring = get_fn_expr_argtype(fcinfo->flinfo, 2) == UNKNOWNOID;
    s->configured = true;
  } else if (PG_NARGS() >= 5 && !same_options(options_bytes(fcinfo), s->options)) {
    options_differ();
  }
  const char* names[] = {"user id", "item id", "weight"};
  for (int a = 1; a <= 3; ++a)
    if (PG_ARGISNULL(a))
      throw Error(sqlstate::kNullValueNotAllowed, std::string("mf_fit received a NULL ") + names[a - 1],
                  "Every row must have a user id, an item id and a weight.",
                  "Filter out the NULL rows (WHERE ... IS NOT NULL) or replace them with COALESCE.");
  const double w = PG_GETARG_FLOAT8(3);
  if (!std::isfinite(w))
    data_error("mf_fit received a non-finite weight", "NaN and infinite weights cannot be used.",
               "Filter out or replace those rows.");
  auto key = [&](KeyDictionary& d, int argno, bool cstring) {
    return cstring ? d.add(std::string(DatumGetCString(PG_GETARG_DATUM(argno)))) : d.add(PG_GETARG_DATUM(argno));
  };
  s->u.push_back(key(s->users, 1, s->user_cstring));
  s->i.push_back(key(s->items, 2, s->item_cstring));
  s->w.push_back(w);
  PG_RETURN_POINTER(s);
}

SML_AGGREGATE_SUPPORT(mf_fit, FitState)

// mf_fit final: trains on the collected rows and returns the model value.
SML_FUNCTION(sml_mf_fit_finalfn) {
  FitState* s = state_arg<FitState>(fcinfo, 0);
  if (!s || s->u.empty())
    data_error("mf_fit received no rows", "There is nothing to train on.",
               "Check the query's WHERE clause; mf_fit needs at least one interaction.");
  const auto t0 = std::chrono::steady_clock::now();
  const auto rows = static_cast<std::int64_t>(s->u.size());
  // The rows now live in ui only (FINALFUNC_MODIFY = READ_WRITE).
  Csr ui = interaction_matrix(s->users, s->items, s->u.data(), s->i.data(), s->w.data(), s->u.size(),
                              matrix_memory(s->als, s->users, s->items, s->u.size()));
  for (auto* v : {&s->u, &s->i}) pg::vector<std::int32_t>(v->get_allocator()).swap(*v);
  pg::vector<double>(s->w.get_allocator()).swap(s->w);
  const Blob payload = fit_payload(s->users, s->items, std::move(ui), s->als, s->verbose, rows, t0, "mf_fit");
  // Encoded straight into the value, with no copy of the payload between.
  Blob::Encoder encoder(payload);
  const std::size_t n = encoder.size();
  if (n > MaxAllocSize - VARHDRSZ)
    throw Error(sqlstate::kProgramLimitExceeded, "model value of mf_fit is larger than 1 GB",
                "The encoded model has " + std::to_string(n) + " bytes; a PostgreSQL value holds at most 1 GB.",
                "Train with mf_train, whose registry storage has no size limit, or use fewer factors.");
  bytea* value = call([&] { return static_cast<bytea*>(palloc(VARHDRSZ + n)); });
  encoder.write(reinterpret_cast<std::uint8_t*>(VARDATA(value)), n);
  SET_VARSIZE(value, VARHDRSZ + n);
  return PointerGetDatum(value);
}

// mf_publish(model, value): registers a model value as the next version.
SML_FUNCTION(sml_mf_publish) {
  require_arg(fcinfo, 0, "model");
  if (PG_ARGISNULL(1))
    throw Error(sqlstate::kNullValueNotAllowed, "model value of mf_publish is NULL",
                "There is no model to publish.", "Pass the value mf_fit returned.");
  const std::string name = text_arg(fcinfo, 0);
  check_publish_rights(name);
  bytea* b = call([&] { return PG_GETARG_BYTEA_PP(1); });
  const Blob payload =
      Blob::decode(reinterpret_cast<const std::uint8_t*>(VARDATA_ANY(b)), VARSIZE_ANY_EXHDR(b));
  validate_payload(payload);  // before anything is written
  // promote: absent when the catalog is still at 0.1.0, NULL means the default.
  const bool promote = PG_NARGS() <= 2 || PG_ARGISNULL(2) || PG_GETARG_BOOL(2);
  return publish_payload(fcinfo, name, payload, promote);
}
