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

// Interactions of one group: keys as dictionaries, rows as dense ids.
struct FitState {
  AlsOptions als;
  bool verbose = false;
  std::string options;  // the raw options jsonb bytes of the first row
  bool user_cstring = false, item_cstring = false;  // untyped literals ('abc') arrive as C strings
  KeyDictionary users, items;
  std::vector<std::int32_t> u, i;
  std::vector<double> w;
};

Oid key_type_arg(FunctionCallInfo fcinfo, int argno, const char* what) {
  const Oid t = get_fn_expr_argtype(fcinfo->flinfo, argno);
  if (t == UNKNOWNOID) return TEXTOID;
  if (!is_key_type(t))
    throw Error(sqlstate::kDatatypeMismatch, std::string(what) + " of mf_fit must be an integer or text",
                "The argument is of type " + call([&] { return std::string(format_type_be(t)); }) + ".",
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

[[noreturn]] void options_differ() {
  invalid_parameter("options of mf_fit differ between rows",
                    "One model is fitted per group, with one set of options.",
                    "Pass the same options (a constant) on every row of a group.");
}

void write_settings(ByteWriter& w, const FitState& s) {
  const AlsOptions& o = s.als;
  w.put_string(s.options);
  w.put<std::int32_t>(static_cast<std::int32_t>(o.feedback));
  w.put<std::int32_t>(static_cast<std::int32_t>(o.solver));
  w.put<std::int32_t>(static_cast<std::int32_t>(o.scaling));
  w.put<std::int32_t>(o.factors);
  w.put<std::int32_t>(o.iterations);
  w.put<std::int32_t>(o.cg_steps);
  w.put<double>(o.regularization);
  w.put<double>(o.alpha);
  w.put<double>(o.epsilon);
  w.put<std::uint64_t>(o.seed);
  w.put<std::uint8_t>(s.verbose ? 1 : 0);
}

void read_settings(ByteReader& r, FitState& s) {
  AlsOptions& o = s.als;
  s.options = r.get_string();
  const auto fb = r.get<std::int32_t>(), solver = r.get<std::int32_t>(), scaling = r.get<std::int32_t>();
  if (fb < 0 || fb > 1 || solver < 0 || solver > 1 || scaling < 0 || scaling > 1) r.fail();
  o.feedback = static_cast<Feedback>(fb);
  o.solver = static_cast<Solver>(solver);
  o.scaling = static_cast<Scaling>(scaling);
  o.factors = r.get<std::int32_t>();
  o.iterations = r.get<std::int32_t>();
  o.cg_steps = r.get<std::int32_t>();
  o.regularization = r.get<double>();
  o.alpha = r.get<double>();
  o.epsilon = r.get<double>();
  o.seed = r.get<std::uint64_t>();
  s.verbose = r.get<std::uint8_t>() != 0;
  validate(o);
}

void write_keys(ByteWriter& w, const KeyDictionary& d) {
  w.put<std::uint8_t>(d.is_text() ? 1 : 0);
  w.put<std::uint32_t>(d.type());
  if (d.is_text()) {
    w.put<std::uint64_t>(d.size());
    for (const auto& k : d.text_keys()) w.put_string(k);
  } else {
    w.put_vector(d.int_keys());
  }
}

KeyDictionary read_keys(ByteReader& r) {
  const bool text = r.get<std::uint8_t>() != 0;
  const Oid type = r.get<std::uint32_t>();
  if (text != (type == TEXTOID) || !is_key_type(type)) r.fail();
  KeyDictionary d = KeyDictionary::of_type(type);
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

// mf_fit transition: (state, user, item, weight[, options])
SML_FUNCTION(sml_mf_fit_trans) {
  FitState* s = state_arg<FitState>(fcinfo, 0);
  if (!s) {
    const Oid ut = key_type_arg(fcinfo, 1, "user id");
    const Oid it = key_type_arg(fcinfo, 2, "item id");
    s = new_state<FitState>(fcinfo, "mf_fit");
    configure(fcinfo, s);
    s->users = KeyDictionary::of_type(ut);
    s->items = KeyDictionary::of_type(it);
    s->user_cstring = get_fn_expr_argtype(fcinfo->flinfo, 1) == UNKNOWNOID;
    s->item_cstring = get_fn_expr_argtype(fcinfo->flinfo, 2) == UNKNOWNOID;
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

// mf_fit combine: merges the second state's rows into the first.
SML_FUNCTION(sml_mf_fit_combine) {
  FitState* a = state_arg<FitState>(fcinfo, 0);
  FitState* b = state_arg<FitState>(fcinfo, 1);
  if (!b) {
    if (!a) PG_RETURN_NULL();
    PG_RETURN_POINTER(a);
  }
  if (!a) {
    a = new_state<FitState>(fcinfo, "mf_fit");
    a->als = b->als;
    a->verbose = b->verbose;
    a->options = b->options;
    a->users = KeyDictionary::of_type(b->users.type());
    a->items = KeyDictionary::of_type(b->items.type());
  } else if (a->options != b->options) {
    options_differ();
  }
  const auto um = merge_keys(a->users, b->users);
  const auto im = merge_keys(a->items, b->items);
  const std::size_t n = a->u.size();
  a->u.resize(n + b->u.size());
  a->i.resize(n + b->i.size());
  for (std::size_t j = 0; j < b->u.size(); ++j) {
    a->u[n + j] = um[static_cast<std::size_t>(b->u[j])];
    a->i[n + j] = im[static_cast<std::size_t>(b->i[j])];
  }
  a->w.insert(a->w.end(), b->w.begin(), b->w.end());
  PG_RETURN_POINTER(a);
}

SML_FUNCTION(sml_mf_fit_serial) {
  const FitState* s = state_arg<FitState>(fcinfo, 0);
  ByteWriter w;
  write_settings(w, *s);
  write_keys(w, s->users);
  write_keys(w, s->items);
  w.put_vector(s->u);
  w.put_vector(s->i);
  w.put_vector(s->w);
  return bytes_to_bytea(w);
}

SML_FUNCTION(sml_mf_fit_deserial) {
  ByteReader r = bytea_reader(fcinfo, 0, "mf_fit partial state");
  FitState* s = new_state<FitState>(fcinfo, "mf_fit");
  read_settings(r, *s);
  s->users = read_keys(r);
  s->items = read_keys(r);
  s->u = r.get_vector<std::int32_t>();
  s->i = r.get_vector<std::int32_t>();
  s->w = r.get_vector<double>();
  r.expect_end();
  if (s->i.size() != s->u.size() || s->w.size() != s->u.size()) r.fail();
  for (std::size_t j = 0; j < s->u.size(); ++j)
    if (s->u[j] < 0 || static_cast<std::size_t>(s->u[j]) >= s->users.size() || s->i[j] < 0 ||
        static_cast<std::size_t>(s->i[j]) >= s->items.size())
      r.fail();
  PG_RETURN_POINTER(s);
}

// mf_fit final: trains on the collected rows and returns the model value.
SML_FUNCTION(sml_mf_fit_final) {
  FitState* s = state_arg<FitState>(fcinfo, 0);
  if (!s || s->u.empty())
    data_error("mf_fit received no rows", "There is nothing to train on.",
               "Check the query's WHERE clause; mf_fit needs at least one interaction.");
  const auto t0 = std::chrono::steady_clock::now();
  const auto rows = static_cast<std::int64_t>(s->u.size());
  // The rows now live in ui only (FINALFUNC_MODIFY = READ_WRITE).
  Csr ui = interaction_matrix(s->users, s->items, s->u, s->i, s->w);
  std::vector<double>().swap(s->w);
  const Blob payload = fit_payload(s->users, s->items, std::move(ui), s->als, s->verbose, rows, t0, "mf_fit");
  ByteWriter w;
  w.bytes() = payload.encode();
  if (w.bytes().size() > MaxAllocSize - VARHDRSZ)
    throw Error(sqlstate::kProgramLimitExceeded, "model value of mf_fit is larger than 1 GB",
                "The encoded model has " + std::to_string(w.bytes().size()) +
                    " bytes; a PostgreSQL value holds at most 1 GB.",
                "Train with mf_train, whose registry storage has no size limit, or use fewer factors.");
  return bytes_to_bytea(w);
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
  return publish_payload(fcinfo, name, payload);
}
