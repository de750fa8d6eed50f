#include "datum.hpp"

#include <cmath>
#include <cstring>

extern "C" {
#include "access/transam.h"
#include "catalog/pg_proc.h"
#include "utils/syscache.h"
#include "utils/typcache.h"
}

namespace supplyml::pg {

namespace {

// The input parameter names of the called function, palloc'd (an entry is
// NULL or empty where unnamed); count 0 when the function is unknown.
struct InputNames {
  int count = 0;
  char** names = nullptr;
};

InputNames input_names(FunctionCallInfo fcinfo) {
  InputNames r;
  if (!fcinfo->flinfo || !OidIsValid(fcinfo->flinfo->fn_oid)) return r;
  call([&] {
    HeapTuple tup = SearchSysCache1(PROCOID, ObjectIdGetDatum(fcinfo->flinfo->fn_oid));
    if (!HeapTupleIsValid(tup)) return;
    Oid* types;
    char** names;
    char* modes;
    const int n = get_func_arg_info(tup, &types, &names, &modes);
    // Input parameters come first in the list of all parameters only when
    // there are no OUT parameters before them: skip OUT and TABLE ones.
    r.names = static_cast<char**>(palloc0(sizeof(char*) * (n + 1)));
    for (int i = 0; i < n; ++i) {
      if (modes && (modes[i] == PROARGMODE_OUT || modes[i] == PROARGMODE_TABLE)) continue;
      r.names[r.count++] = names ? names[i] : nullptr;
    }
    ReleaseSysCache(tup);
  });
  return r;
}

// The declared name of parameter `argno` of the called function, for
// messages; "argument N" when it has none.
std::string arg_name(FunctionCallInfo fcinfo, int argno) {
  const InputNames in = input_names(fcinfo);
  if (argno < in.count && in.names[argno] && in.names[argno][0]) return in.names[argno];
  return "argument " + std::to_string(argno + 1);
}

void null_argument(const std::string& name) {
  throw Error(sqlstate::kNullValueNotAllowed, name + " must not be null", "The argument " + name + " was NULL.",
              "Pass a value for " + name + ".");
}

}  // namespace

int arg_position(FunctionCallInfo fcinfo, const char* name) {
  const InputNames in = input_names(fcinfo);
  for (int i = 0; i < in.count; i++)
    if (in.names[i] && std::strcmp(in.names[i], name) == 0) return i;
  return -1;
}

std::string text_arg(FunctionCallInfo fcinfo, int argno) {
  if (PG_ARGISNULL(argno)) null_argument(arg_name(fcinfo, argno));
  text* t = call([&] { return PG_GETARG_TEXT_PP(argno); });
  return std::string(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
}

Datum text_datum(const std::string& s) {
  return call([&] { return PointerGetDatum(cstring_to_text_with_len(s.data(), s.size())); });
}

void require_arg(FunctionCallInfo fcinfo, int argno, const char* name) {
  if (PG_ARGISNULL(argno)) null_argument(name);
}

std::vector<double> float8_array_arg(FunctionCallInfo fcinfo, int argno, const char* what) {
  if (PG_ARGISNULL(argno)) null_argument(what);
  return float8_array_from_datum(PG_GETARG_DATUM(argno), what);
}

namespace {

[[noreturn]] void not_finite(const std::string& what, double v) {
  throw Error(sqlstate::kNumericOutOfRange, "result " + what + " is out of range",
              std::string("The computed value is ") + (std::isnan(v) ? "undefined (NaN)" : "infinite") + ".",
              "Check the inputs for values near the limits of float8; rescale them if they are that large or small.");
}

void check_value(Oid type, Datum d, const std::string& what, int depth);

void check_row(HeapTupleHeader row, const std::string& what, int depth) {
  // Read into palloc'd arrays inside call(); C++ containers are built after it.
  int count = 0;
  Oid* types = nullptr;
  Datum* datums = nullptr;
  char** labels = nullptr;
  call([&] {
    TupleDesc desc = lookup_rowtype_tupdesc(HeapTupleHeaderGetTypeId(row), HeapTupleHeaderGetTypMod(row));
    HeapTupleData tuple;
    tuple.t_len = HeapTupleHeaderGetDatumLength(row);
    tuple.t_data = row;
    ItemPointerSetInvalid(&tuple.t_self);
    tuple.t_tableOid = InvalidOid;
    const int n = desc->natts ? desc->natts : 1;
    Datum* values = static_cast<Datum*>(palloc(sizeof(Datum) * n));
    bool* isnull = static_cast<bool*>(palloc(sizeof(bool) * n));
    heap_deform_tuple(&tuple, desc, values, isnull);
    types = static_cast<Oid*>(palloc(sizeof(Oid) * n));
    datums = static_cast<Datum*>(palloc(sizeof(Datum) * n));
    labels = static_cast<char**>(palloc(sizeof(char*) * n));
    for (int i = 0; i < desc->natts; ++i) {
      const Form_pg_attribute a = TupleDescAttr(desc, i);
      if (a->attisdropped || isnull[i]) continue;
      types[count] = a->atttypid;
      datums[count] = values[i];
      labels[count] = pstrdup(NameStr(a->attname));
      ++count;
    }
    ReleaseTupleDesc(desc);
  });
  for (int i = 0; i < count; ++i) check_value(types[i], datums[i], what + "." + labels[i], depth + 1);
}

// Recurses into float8[] and composites; other types cannot hold a NaN.
void check_value(Oid type, Datum d, const std::string& what, int depth) {
  if (type == FLOAT8OID) {
    if (!std::isfinite(DatumGetFloat8(d))) not_finite(what, DatumGetFloat8(d));
  } else if (type == FLOAT4OID) {
    if (!std::isfinite(DatumGetFloat4(d))) not_finite(what, DatumGetFloat4(d));
  } else if (type == FLOAT8ARRAYOID) {
    double bad = 0.0;
    const bool ok = call([&] {
      ArrayType* arr = DatumGetArrayTypeP(d);
      Datum* elems;
      bool* nulls;
      int n;
      deconstruct_array(arr, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &elems, &nulls, &n);
      for (int i = 0; i < n; ++i)
        if (!nulls[i] && !std::isfinite(DatumGetFloat8(elems[i]))) {
          bad = DatumGetFloat8(elems[i]);
          return false;
        }
      return true;
    });
    if (!ok) not_finite(what, bad);
  } else if (depth < 4 && (type == RECORDOID || type >= FirstNormalObjectId) &&  // no lookup for built-ins
             call([&] { return type_is_rowtype(type); })) {
    check_row(call([&] { return DatumGetHeapTupleHeader(d); }), what, depth);
  }
}

void check_finite(TupleDesc desc, const Datum* values, const bool* nulls) {
  for (int i = 0; i < desc->natts; ++i) {
    const Form_pg_attribute a = TupleDescAttr(desc, i);
    if (!nulls[i] && !a->attisdropped)
      check_value(a->atttypid, values[i], std::string("field \"") + NameStr(a->attname) + "\"", 0);
  }
}

}  // namespace

Datum float8_result(double v, const char* what) {
  if (!std::isfinite(v)) not_finite(std::string("of ") + what, v);
  return Float8GetDatum(v);
}

std::vector<double> float8_array_from_datum(Datum value, const char* what) {
  std::vector<double> out;
  bool has_null = false;
  call([&] {
    ArrayType* arr = DatumGetArrayTypeP(value);
    if (ARR_NDIM(arr) > 1)
      ereport(ERROR, (errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
                      errmsg("%s must be a one-dimensional array", what)));
    Datum* elems;
    bool* nulls;
    int n;
    deconstruct_array(arr, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &elems, &nulls, &n);
    out.resize(n);
    for (int i = 0; i < n; ++i) {
      if (nulls[i]) has_null = true;
      out[i] = nulls[i] ? 0.0 : DatumGetFloat8(elems[i]);
    }
  });
  if (has_null)
    throw Error(sqlstate::kNullValueNotAllowed, std::string(what) + " must not contain nulls",
                "An element of the array was NULL.", "Remove the NULL elements or replace them.");
  return out;
}

namespace {
template <class T, class ToDatum>
Datum array_datum(const std::vector<T>& v, Oid type, int len, bool byval, char align, ToDatum conv) {
  return call([&] {
    Datum* d = static_cast<Datum*>(palloc(sizeof(Datum) * (v.size() ? v.size() : 1)));
    for (std::size_t i = 0; i < v.size(); ++i) d[i] = conv(v[i]);
    return PointerGetDatum(construct_array(d, static_cast<int>(v.size()), type, len, byval, align));
  });
}
}  // namespace

Datum float8_array_datum(const std::vector<double>& v) {
  return array_datum(v, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
                     [](double x) { return Float8GetDatum(x); });
}
Datum int4_array_datum(const std::vector<std::int32_t>& v) {
  return array_datum(v, INT4OID, 4, true, TYPALIGN_INT, [](std::int32_t x) { return Int32GetDatum(x); });
}
Datum int8_array_datum(const std::vector<std::int64_t>& v) {
  return array_datum(v, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
                     [](std::int64_t x) { return Int64GetDatum(x); });
}
Datum text_array_datum(const std::vector<std::string>& v) {
  return array_datum(v, TEXTOID, -1, false, TYPALIGN_INT, [](const std::string& s) {
    return PointerGetDatum(cstring_to_text_with_len(s.data(), s.size()));
  });
}

Datum composite_result(FunctionCallInfo fcinfo, const Datum* values, const bool* nulls) {
  TupleDesc desc = call([&] {
    TupleDesc d;
    if (get_call_result_type(fcinfo, nullptr, &d) != TYPEFUNC_COMPOSITE)
      ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                      errmsg("function returning a record called in a context that cannot accept it")));
    return d;
  });
  check_finite(desc, values, nulls);
  return call([&] {
    desc = BlessTupleDesc(desc);
    HeapTuple tuple = heap_form_tuple(desc, const_cast<Datum*>(values), const_cast<bool*>(nulls));
    return HeapTupleGetDatum(tuple);
  });
}

RowWriter::RowWriter(FunctionCallInfo fcinfo) {
  call([&] {
    InitMaterializedSRF(fcinfo, 0);
    rsinfo_ = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
    natts_ = rsinfo_->setDesc->natts;
  });
}

void RowWriter::put(const Datum* values, const bool* nulls) {
  check_finite(rsinfo_->setDesc, values, nulls);
  call([&] {
    tuplestore_putvalues(rsinfo_->setResult, rsinfo_->setDesc, const_cast<Datum*>(values),
                         const_cast<bool*>(nulls));
  });
}

}  // namespace supplyml::pg
