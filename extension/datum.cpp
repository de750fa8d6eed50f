#include "datum.hpp"

namespace supplyml::pg {

std::string text_arg(FunctionCallInfo fcinfo, int argno) {
  return call([&] {
    text* t = PG_GETARG_TEXT_PP(argno);
    return std::string(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
  });
}

Datum text_datum(const std::string& s) {
  return call([&] { return PointerGetDatum(cstring_to_text_with_len(s.data(), s.size())); });
}

void require_arg(FunctionCallInfo fcinfo, int argno, const char* name) {
  if (PG_ARGISNULL(argno))
    throw Error(sqlstate::kNullValueNotAllowed, std::string(name) + " must not be null",
                std::string("The argument ") + name + " was NULL.",
                std::string("Pass a value for ") + name + ".");
}

std::vector<double> float8_array_arg(FunctionCallInfo fcinfo, int argno, const char* what) {
  return float8_array_from_datum(PG_GETARG_DATUM(argno), what);
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
  return call([&] {
    TupleDesc desc;
    if (get_call_result_type(fcinfo, nullptr, &desc) != TYPEFUNC_COMPOSITE)
      ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                      errmsg("function returning a record called in a context that cannot accept it")));
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
  call([&] {
    tuplestore_putvalues(rsinfo_->setResult, rsinfo_->setDesc, const_cast<Datum*>(values),
                         const_cast<bool*>(nulls));
  });
}

}  // namespace supplyml::pg
