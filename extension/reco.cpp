// SQL functions of the recommender (matrix factorization): training into the
// registry, top-k, similar items, scores and evaluation. Marshalling and
// errors only; the arithmetic is in kernels/ (reco_*.hpp).
#include <atomic>
#include <chrono>
#include <sstream>

#include "datum.hpp"
#include "device.hpp"
#include "options.hpp"
#include "progress.hpp"
#include "reco.hpp"
#include "registry.hpp"
#include "settings.hpp"
#include "source.hpp"
#include "supplyml/parallel.hpp"
#include "supplyml/reco_batch.hpp"
#include "supplyml/reco_gpu.hpp"

using namespace supplyml;
using namespace supplyml::pg;

namespace {

// A loaded model with the dictionaries of its user and item keys.
struct Reco {
  MfModel model;
  KeyDictionary users, items;
  Precision precision = Precision::kFp32;  // factor storage training used; the GPU top-k serves with it
};

void put_keys(Blob& b, const std::string& name, const KeyDictionary& d) {
  if (d.is_text()) {
    std::vector<std::string> keys(d.size());
    for (std::size_t j = 0; j < keys.size(); ++j) keys[j] = d.text_key(static_cast<std::int32_t>(j));
    b.put_strings(name, std::move(keys));
  } else {
    b.put_i64(name, {d.int_keys().begin(), d.int_keys().end()});
  }
}

// In mr, with the factors: the cached model's context counts its keys too.
KeyDictionary get_keys(const Blob& b, const std::string& name, bool text, Oid type, std::int64_t n,
                       std::pmr::memory_resource* mr) {
  KeyDictionary d = text ? KeyDictionary::from_texts(b.strings(name), mr)
                         : KeyDictionary::from_ints(b.i64(name), type, mr);
  if (static_cast<std::int64_t>(d.size()) != n) corrupted("model payload has the wrong number of keys");
  return d;
}

Reco decode_reco(const Blob& b, std::pmr::memory_resource* mr = std::pmr::new_delete_resource()) {
  const auto& t = b.i64("mf.key_types");
  if (t.size() != 4) corrupted("model payload has no key types");
  MfModel model = MfModel::from_blob(b, mr);
  KeyDictionary users = get_keys(b, "mf.user_keys", t[0] != 0, static_cast<Oid>(t[1]), model.users, mr);
  KeyDictionary items = get_keys(b, "mf.item_keys", t[2] != 0, static_cast<Oid>(t[3]), model.items, mr);
  Precision precision = Precision::kFp32;  // models trained before the option existed
  if (b.has("mf.precision")) {
    const auto& p = b.i64("mf.precision");
    if (p.size() != 1 || (p[0] != 0 && p[0] != 1)) corrupted("model payload has an unknown precision");
    precision = p[0] == 1 ? Precision::kFp16 : Precision::kFp32;
  }
  return Reco{std::move(model), std::move(users), std::move(items), precision};
}

// The model's current version, or the version given as argument argno.
std::shared_ptr<const Reco> load(const std::string& name, FunctionCallInfo fcinfo, int version_argno) {
  const std::int32_t version = version_arg(fcinfo, version_argno);
  return model_state<Reco>(name, kMfKind, version, [](const LoadedModel& lm, std::pmr::memory_resource* mr) {
    return decode_reco(*lm.payload, mr);
  });
}

// The dense id of a key argument (integer or text, whichever the call used);
// -1 when the model does not know it.
std::int32_t key_arg(FunctionCallInfo fcinfo, int argno, const KeyDictionary& d) {
  const Oid t = get_fn_expr_argtype(fcinfo->flinfo, argno);
  const Datum v = PG_GETARG_DATUM(argno);
  switch (t) {
    case INT2OID: return d.find(static_cast<std::int64_t>(DatumGetInt16(v)));
    case INT4OID: return d.find(static_cast<std::int64_t>(DatumGetInt32(v)));
    case INT8OID: return d.find(static_cast<std::int64_t>(DatumGetInt64(v)));
    default: return d.find(text_arg(fcinfo, argno));
  }
}

std::string key_text(FunctionCallInfo fcinfo, int argno) {
  const Oid t = get_fn_expr_argtype(fcinfo->flinfo, argno);
  const Datum v = PG_GETARG_DATUM(argno);
  if (t == INT2OID) return std::to_string(DatumGetInt16(v));
  if (t == INT4OID) return std::to_string(DatumGetInt32(v));
  if (t == INT8OID) return std::to_string(DatumGetInt64(v));
  return text_arg(fcinfo, argno);
}

[[noreturn]] void unknown_key(const char* what, const std::string& key, const std::string& model) {
  invalid_parameter(std::string("unknown ") + what + " \"" + key + "\" in model \"" + model + "\"",
                    std::string("The model was trained without any interaction of this ") + what + ".",
                    "Check the id, or train the model again on data that includes it.");
}

int k_arg(FunctionCallInfo fcinfo, int argno) {
  require_arg(fcinfo, argno, "k");
  const int k = PG_GETARG_INT32(argno);
  check_k(k);
  return k;
}

std::string type_name(Oid t) {
  return call([&] { return format_type_be(t); });
}

// Multiply-adds of scoring every item for `users` users, as the device
// choice counts work.
double topk_work(const MfModel& m, double users) {
  return 2.0 * users * static_cast<double>(m.items) * m.factors;
}

// Top-k lists (seen items excluded) of the model users `users`, on the GPU
// when the device choice says so (its top-k entry, factors stored in the
// precision the model was trained in), else, or after a GPU failure that
// falls back, on the CPU: the same lists either way. fn names the SQL
// function in the progress lines ("scored 5000 of 20000 users").
std::vector<std::vector<Scored>> top_lists(const Reco& r, const std::vector<std::int64_t>& users, int k,
                                           const char* fn) {
  DeviceChoice device = choose_device(Computation::kTopK, topk_work(r.model, static_cast<double>(users.size())));
  Progress progress(fn);
  std::atomic<std::int64_t> done{0};
  const auto total = static_cast<std::int64_t>(users.size());
  Interrupt stop = progress.counting(done, total, "scored", "users");
  std::vector<std::vector<Scored>> lists;
  if (device.gpu) {
    const int status = recommend_many_gpu(device.api, device.index, r.model, users, k, r.precision, stop, &lists);
    if (status != 0) gpu_failed(device, status, Computation::kTopK);  // the CPU, or an error
  }
  if (!device.gpu) lists = recommend_many(r.model, users, k, true, threads_setting(), stop, &done);
  progress.count("scored", total, total, "users");
  return lists;
}

std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  std::ostringstream s;
  s.precision(10);
  s << v;
  return s.str();
}

}  // namespace

// mf_train(model, source, factors, iterations, regularization, feedback, alpha, seed, options)
SML_FUNCTION(sml_mf_train) {
  const char* names[] = {"model", "source", "factors", "iterations", "regularization", "feedback",
                         "alpha", "seed"};
  for (int a = 0; a < 8; ++a) require_arg(fcinfo, a, names[a]);
  const std::string name = text_arg(fcinfo, 0);
  const std::string source = text_arg(fcinfo, 1);
  check_publish_rights(name);  // before any work: a missing grant fails now, not after training
  AlsOptions o;
  o.factors = PG_GETARG_INT32(2);
  o.iterations = PG_GETARG_INT32(3);
  o.regularization = PG_GETARG_FLOAT8(4);
  o.feedback = parse_feedback(text_arg(fcinfo, 5));
  o.alpha = PG_GETARG_FLOAT8(6);
  o.seed = static_cast<std::uint64_t>(PG_GETARG_INT64(7));
  bool verbose = false;
  Options opt(fcinfo, 8, "supplyml.mf_train");
  read_solver_options(opt, o, &verbose);
  const bool promote = opt.boolean("promote", true);
  opt.finish();
  validate(o);

  const auto t0 = std::chrono::steady_clock::now();
  auto cols = read_source(source, {{"user id", ColumnType::kKey}, {"item id", ColumnType::kKey},
                                   {"weight", ColumnType::kNumber}},
                          "mf_train");
  const std::size_t rows = cols[0].size();
  if (rows == 0)
    data_error("source query of mf_train returned no rows", "There is nothing to train on.",
               "Check the source query and its WHERE clause.");
  // The reader numbered the keys as rows arrived.
  KeyDictionary users = std::move(cols[0].keys), items = std::move(cols[1].keys);
  Csr ui = interaction_matrix(users, items, cols[0].ids.data(), cols[1].ids.data(), cols[2].nums.data(), rows,
                              matrix_memory(o, users, items, rows));
  cols.clear();
  const Blob payload = fit_payload(users, items, std::move(ui), o, verbose, static_cast<std::int64_t>(rows),
                                   t0, "mf_train");
  return publish_payload(fcinfo, name, payload, promote);
}

// recommend(model, user_id, k, exclude_seen, version) -> (item_id, score, rank, reason)
// A user the model does not know gets the most popular items, reason
// "popular", with a NULL score: popularity counts are not on the scale of the
// model's scores, and no personal score exists for that user.
SML_FUNCTION(sml_recommend) {
  require_arg(fcinfo, 0, "model");
  require_arg(fcinfo, 1, "user_id");
  require_arg(fcinfo, 3, "exclude_seen");
  const int k = k_arg(fcinfo, 2);
  const bool exclude = PG_GETARG_BOOL(3);
  const auto r = load(text_arg(fcinfo, 0), fcinfo, 4);
  choose_device(Computation::kScoring, topk_work(r->model, 1));
  const std::int32_t u = key_arg(fcinfo, 1, r->users);
  const bool known = u >= 0;
  const auto top = known ? r->model.recommend(u, k, exclude, threads_setting()) : r->model.popular(k, nullptr, 0);
  RowWriter out(fcinfo);
  const Datum reason = text_datum(known ? "personal" : "popular");
  for (std::size_t j = 0; j < top.size(); ++j) {
    Datum v[4] = {text_datum(r->items.display(top[j].item)), Float8GetDatum(known ? top[j].score : 0.0),
                  Int32GetDatum(static_cast<std::int32_t>(j + 1)), reason};
    bool nulls[4] = {false, !known, false, false};
    out.put(v, nulls);
  }
  return (Datum)0;
}

// recommend_all(model, k, users, version) -> (user_id, item_id, score, rank, reason)
// Unknown users get the popular items as recommend gives them (score NULL).
SML_FUNCTION(sml_recommend_all) {
  require_arg(fcinfo, 0, "model");
  const int k = k_arg(fcinfo, 1);
  const auto r = load(text_arg(fcinfo, 0), fcinfo, 3);
  const MfModel& m = r->model;
  std::vector<std::int64_t> ids;       // model user index, or -1: unknown
  std::vector<std::string> unknown;    // keys of the unknown users, in order
  if (PG_ARGISNULL(2)) {
    ids.resize(static_cast<std::size_t>(m.users));
    for (std::int64_t u = 0; u < m.users; ++u) ids[u] = u;
  } else {
    const auto cols = read_source(text_arg(fcinfo, 2), {{"user id", ColumnType::kKey}}, "recommend_all");
    const Column& c = cols[0];
    const auto in_model = c.keys.ids_in(r->users);
    for (std::size_t j = 0; j < c.size(); ++j) {
      const std::int32_t u = in_model[c.ids[j]];
      ids.push_back(u);
      if (u < 0) unknown.push_back(c.key_text(j));
    }
  }
  std::vector<std::int64_t> known;
  for (auto u : ids)
    if (u >= 0) known.push_back(u);
  const auto lists = top_lists(*r, known, k, "recommend_all");
  Interrupt stop = interrupt();
  const auto popular = m.popular(k, nullptr, 0);
  RowWriter out(fcinfo);
  const Datum personal = text_datum("personal"), popular_reason = text_datum("popular");
  std::size_t next_known = 0, next_unknown = 0;
  for (auto u : ids) {
    const bool known_user = u >= 0;
    const auto& top = known_user ? lists[next_known++] : popular;
    const Datum user = known_user ? text_datum(r->users.display(static_cast<std::int32_t>(u)))
                                  : text_datum(unknown[next_unknown++]);
    for (std::size_t j = 0; j < top.size(); ++j) {
      // A catalog still at 0.1.0 declares four columns: the writer takes as
      // many values as its row has.
      Datum v[5] = {user, text_datum(r->items.display(top[j].item)),
                    Float8GetDatum(known_user ? top[j].score : 0.0),
                    Int32GetDatum(static_cast<std::int32_t>(j + 1)), known_user ? personal : popular_reason};
      bool nulls[5] = {false, false, !known_user, false, false};
      out.put(v, nulls);
    }
    stop.poll();
  }
  return (Datum)0;
}

// similar_items(model, item_id, k, version) -> (item_id, score, rank)
SML_FUNCTION(sml_similar_items) {
  require_arg(fcinfo, 0, "model");
  require_arg(fcinfo, 1, "item_id");
  const int k = k_arg(fcinfo, 2);
  const std::string name = text_arg(fcinfo, 0);
  const auto r = load(name, fcinfo, 3);
  choose_device(Computation::kScoring, topk_work(r->model, 1));
  const std::int32_t i = key_arg(fcinfo, 1, r->items);
  if (i < 0) unknown_key("item", key_text(fcinfo, 1), name);
  const auto top = r->model.similar(i, k);
  RowWriter out(fcinfo);
  for (std::size_t j = 0; j < top.size(); ++j) {
    Datum v[3] = {text_datum(r->items.display(top[j].item)), Float8GetDatum(top[j].score),
                  Int32GetDatum(static_cast<std::int32_t>(j + 1))};
    bool nulls[3] = {};
    out.put(v, nulls);
  }
  return (Datum)0;
}

// mf_score(model, user_id, item_id, version) -> float8
SML_FUNCTION(sml_mf_score) {
  require_arg(fcinfo, 0, "model");
  require_arg(fcinfo, 1, "user_id");
  require_arg(fcinfo, 2, "item_id");
  const std::string name = text_arg(fcinfo, 0);
  const auto r = load(name, fcinfo, 3);
  choose_device(Computation::kScoring, static_cast<double>(r->model.factors));
  const std::int32_t u = key_arg(fcinfo, 1, r->users);
  if (u < 0) unknown_key("user", key_text(fcinfo, 1), name);
  const std::int32_t i = key_arg(fcinfo, 2, r->items);
  if (i < 0) unknown_key("item", key_text(fcinfo, 2), name);
  PG_RETURN_FLOAT8(r->model.score(u, i));
}

// mf_evaluate(model, test, k, version) -> (metric, model, popularity)
SML_FUNCTION(sml_mf_evaluate) {
  require_arg(fcinfo, 0, "model");
  require_arg(fcinfo, 1, "test");
  const int k = k_arg(fcinfo, 2);
  const auto r = load(text_arg(fcinfo, 0), fcinfo, 3);
  const MfModel& m = r->model;
  const bool expl = m.feedback == Feedback::kExplicit;
  std::vector<ColumnSpec> spec = {{"user id", ColumnType::kKey}, {"item id", ColumnType::kKey}};
  if (expl) spec.push_back({"rating", ColumnType::kNumber});
  const auto cols = read_source(text_arg(fcinfo, 1), spec, "mf_evaluate");
  std::vector<std::int32_t> tu, ti;
  std::vector<double> tw;
  // Model ids of the test's users and items; test items the model never
  // saw get ids after the model's, one per distinct item.
  const auto user_in_model = cols[0].keys.ids_in(r->users);
  auto item_in_model = cols[1].keys.ids_in(r->items);
  std::int64_t new_items = 0;
  std::int64_t skipped = 0;
  for (std::size_t j = 0; j < cols[0].size(); ++j) {
    const std::int32_t u = user_in_model[cols[0].ids[j]];
    if (u < 0) {
      ++skipped;
      continue;
    }
    std::int32_t& i = item_in_model[cols[1].ids[j]];
    if (i < 0) i = static_cast<std::int32_t>(m.items + new_items++);
    tu.push_back(u);
    ti.push_back(i);
    tw.push_back(expl ? cols[2].nums[j] : 1.0);
  }
  if (tu.empty())
    data_error("test query of mf_evaluate has no user the model knows",
               "Rows read: " + std::to_string(cols[0].size()) + "; none of their users is in the model.",
               "Evaluate on held-out interactions of users the model was trained on.");
  // Duplicate test pairs are summed: the evaluation counts each pair once.
  const Csr test = build_csr(m.users, m.items + new_items, tu, ti, tw);
  const auto users = evaluation_users(test);
  const MfEvaluation ev = evaluate_lists(m, test, k, users, top_lists(*r, users, k, "mf_evaluate"));
  RowWriter out(fcinfo);
  auto row = [&](const std::string& metric, double a, double b) {
    Datum v[3] = {text_datum(metric), Float8GetDatum(a), Float8GetDatum(b)};
    bool nulls[3] = {};
    out.put(v, nulls);
  };
  const std::string at = "@" + std::to_string(k);
  row("precision" + at, ev.model.precision, ev.popular.precision);
  row("recall" + at, ev.model.recall, ev.popular.recall);
  row("map" + at, ev.model.map, ev.popular.map);
  row("ndcg" + at, ev.model.ndcg, ev.popular.ndcg);
  row("auc" + at, ev.model.auc, ev.popular.auc);
  row("coverage" + at, ev.model.coverage, ev.popular.coverage);
  if (expl) {
    row("rmse", ev.rmse, ev.rmse_popular);
    row("mae", ev.mae, ev.mae_popular);
  }
  row("users", static_cast<double>(ev.model.users), static_cast<double>(ev.popular.users));
  row("rows_unknown_user", static_cast<double>(skipped), static_cast<double>(skipped));
  return (Datum)0;
}

namespace supplyml::pg {

void read_solver_options(Options& opt, AlsOptions& o, bool* verbose) {
  o.solver = parse_solver(opt.choice("solver", "cg", {"cg", "cholesky"}));
  o.cg_steps = static_cast<int>(opt.integer("cg_steps", 3, 1, 100));
  o.precision = parse_precision(opt.choice("precision", "fp32", {"fp32", "fp16"}));
  o.scaling = parse_scaling(opt.choice("scaling", "linear", {"linear", "log"}));
  o.epsilon = opt.number("epsilon", 1.0, 1e-12, 1e12);
  *verbose = opt.boolean("verbose", false);
}

namespace {

// Floating-point work of a training: cg products over the interactions, or
// each row's f x f system and its factorization.
double training_work(const AlsOptions& o, double nnz, std::int64_t users, std::int64_t items) {
  const double f = o.factors;
  return by_cg(o) ? 2.0 * o.iterations * (o.cg_steps + 1) * 2.0 * nnz * f
                  : 2.0 * o.iterations * (nnz * f * f + static_cast<double>(users + items) * f * f * f / 3);
}

}  // namespace

std::pmr::memory_resource* matrix_memory(const AlsOptions& o, const KeyDictionary& users,
                                         const KeyDictionary& items, std::size_t rows) {
  const double work = training_work(o, static_cast<double>(rows), static_cast<std::int64_t>(users.size()),
                                    static_cast<std::int64_t>(items.size()));
  if (!gpu_may_compute(Computation::kAlsTraining, work) || !gpu_can_train(cuda(), o))
    return std::pmr::get_default_resource();
  return gpu_host_memory();
}

Csr interaction_matrix(KeyDictionary& users, KeyDictionary& items, std::int32_t* u, std::int32_t* i,
                       const double* w, std::size_t n, std::pmr::memory_resource* mr) {
  const auto un = users.sort_keys();
  const auto in = items.sort_keys();
  // In place, on the worker threads too: the arrays are already sized.
  Interrupt stop = interrupt();
  parallel_for(n, threads_setting(), stop, [&](std::size_t begin, std::size_t end, int) {
    for (std::size_t k = begin; k < end; ++k) {
      u[k] = un[static_cast<std::size_t>(u[k])];
      i[k] = in[static_cast<std::size_t>(i[k])];
    }
  }, std::size_t{1} << 18);
  return build_csr(static_cast<std::int64_t>(users.size()), static_cast<std::int64_t>(items.size()), u, i, w, n,
                   threads_setting(), mr);
}

Blob fit_payload(const KeyDictionary& users, const KeyDictionary& items, Csr&& input, AlsOptions o,
                 bool verbose, std::int64_t rows, std::chrono::steady_clock::time_point started,
                 const char* function) {
  Csr ui = std::move(input);
  o.threads = threads_setting();
  validate(o);
  if (o.feedback == Feedback::kImplicit) to_confidence(ui, o.alpha, o.scaling, o.epsilon);
  // A module may lack the entry for these options (one built for an older
  // version has no exact solves): auto trains on the CPU, gpu refuses.
  DeviceChoice device =
      choose_device(Computation::kAlsTraining, training_work(o, static_cast<double>(ui.nnz()), ui.rows, ui.cols));
  if (device.gpu && !gpu_can_train(device.api, o)) {
    if (device_setting() == DeviceSetting::kGpu)
      throw Error(sqlstate::kObjectNotInPrerequisiteState, "ALS training has no GPU implementation for these options",
                  "supplyml.device is set to gpu, but the CUDA module has no GPU path for " +
                      std::string(by_cg(o) ? "the \"cg\" solver."
                                  : o.precision == Precision::kFp16
                                      ? "exact solves (explicit feedback or the \"cholesky\" solver) with \"precision\": \"fp16\"."
                                      : "exact solves (explicit feedback or the \"cholesky\" solver)."),
                  "SET supplyml.device = 'auto' (or 'cpu'), train exact solves with \"precision\": \"fp32\", or "
                  "install the CUDA module of this version of supplyml.");
    device = DeviceChoice{};
  }
  // Progress: iteration and loss (the verbose option shows them at NOTICE).
  Progress progress(function, verbose);
  if (progress.on()) {
    o.on_iteration = [&progress, iterations = o.iterations](int it, double loss) {
      if (it == iterations || progress.due())
        progress.line("iteration %d of %d: loss %.6g, %.1f s", it, iterations, loss, progress.seconds());
    };
  }
  Interrupt stop = interrupt();
  Blob blob;
  double fit_seconds = 0;
  Precision used = Precision::kFp32;
  {
    const auto fit_start = std::chrono::steady_clock::now();
    AlsFactors<float> fit;
    if (device.gpu) {
      const int status = als_train_gpu(device.api, device.index, ui, o, stop, &fit);
      if (status != 0) gpu_failed(device, status, Computation::kAlsTraining);  // the CPU, or an error
    }
    if (!device.gpu) fit = als_train<float>(ui, o, stop);
    fit_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - fit_start).count();
    // The factors and the matrix's row index move into the payload; the
    // rest of the input is freed here.
    blob = MfModel::fit_to_blob(std::move(ui), std::move(fit), o.feedback);
    used = device.gpu ? o.precision : Precision::kFp32;  // the CPU computes and stores fp32
  }
  const auto& shape = blob.i64("mf.shape");  // feedback, factors, users, items, interactions
  const auto& loss = blob.f64("mf.loss");
  blob.put_i64("mf.key_types", {users.is_text() ? 1 : 0, static_cast<std::int64_t>(users.type()),
                                items.is_text() ? 1 : 0, static_cast<std::int64_t>(items.type())});
  put_keys(blob, "mf.user_keys", users);
  put_keys(blob, "mf.item_keys", items);
  blob.put_i64("mf.precision", {used == Precision::kFp16 ? 1 : 0});
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  std::ostringstream p;
  p << "{\"feedback\": \"" << (o.feedback == Feedback::kImplicit ? "implicit" : "explicit")
    << "\", \"factors\": " << o.factors << ", \"iterations\": " << o.iterations
    << ", \"regularization\": " << json_number(o.regularization) << ", \"alpha\": " << json_number(o.alpha)
    << ", \"seed\": " << static_cast<std::int64_t>(o.seed) << ", \"solver\": \""
    << (o.solver == Solver::kCg ? "cg" : "cholesky") << "\", \"cg_steps\": " << o.cg_steps
    << ", \"precision\": \"" << precision_name(used) << "\", \"requested_precision\": \""
    << precision_name(o.precision) << "\", \"scaling\": \"" << (o.scaling == Scaling::kLinear ? "linear" : "log")
    << "\", \"epsilon\": " << json_number(o.epsilon) << ", \"trained_by\": \"" << function
    << "\", \"user_key_type\": \"" << type_name(users.type()) << "\", \"item_key_type\": \""
    << type_name(items.type()) << "\"}";
  std::ostringstream m;
  m << "{\"users\": " << shape[2] << ", \"items\": " << shape[3] << ", \"interactions\": " << shape[4]
    << ", \"final_loss\": " << json_number(loss.back()) << ", \"seconds\": " << json_number(seconds)
    << ", \"fit_seconds\": " << json_number(fit_seconds) << ", \"loss\": [";
  for (std::size_t k = 0; k < loss.size(); ++k) m << (k ? ", " : "") << json_number(loss[k]);
  m << "]}";
  // What the registry row records, carried inside the payload so that a model
  // value from mf_fit publishes exactly like mf_train.
  blob.put_strings("mf.registry", {p.str(), m.str(), device.label()});
  blob.put_i64("mf.rows", {rows});
  blob.put_f64("mf.seconds", {seconds});
  return blob;
}

void validate_payload(const Blob& payload) { (void)decode_reco(payload); }

Datum publish_payload(FunctionCallInfo fcinfo, const std::string& name, const Blob& payload, bool promote) {
  const auto& reg = payload.strings("mf.registry");
  const auto& rows = payload.i64("mf.rows");
  const auto& seconds = payload.f64("mf.seconds");
  const auto& shape = payload.i64("mf.shape");  // feedback, factors, users, items, interactions
  const auto& loss = payload.f64("mf.loss");
  if (reg.size() != 3 || rows.size() != 1 || seconds.size() != 1 || shape.size() != 5 || loss.empty())
    corrupted("model payload has no registry record");
  ModelInfo info;
  info.name = name;
  info.kind = kMfKind;
  info.params_json = reg[0];
  info.metrics_json = reg[1];
  info.device = reg[2];
  info.rows_used = rows[0];
  info.promote = promote;
  const PublishedModel pub = publish_model(info, payload);
  Datum v[8] = {text_datum(name),
                Int32GetDatum(pub.version),
                Int64GetDatum(shape[2]),
                Int64GetDatum(shape[3]),
                Int64GetDatum(shape[4]),
                Float8GetDatum(loss.back()),
                Float8GetDatum(seconds[0]),
                text_datum(reg[2])};
  bool nulls[8] = {};
  return composite_result(fcinfo, v, nulls);
}

}  // namespace supplyml::pg
