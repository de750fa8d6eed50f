// Errors raised by the numerical core. The extension's guard turns each one
// into a PostgreSQL ERROR carrying the same SQLSTATE, message, detail and hint.
// Messages follow PostgreSQL style: lower case, no final period; detail and
// hint are full sentences.
#pragma once

#include <charconv>
#include <stdexcept>
#include <string>

namespace supplyml {

// SQLSTATE codes used by the project (PostgreSQL's errcodes.txt).
namespace sqlstate {
inline constexpr const char* kInvalidParameterValue = "22023";
inline constexpr const char* kNullValueNotAllowed = "22004";
inline constexpr const char* kNumericOutOfRange = "22003";
inline constexpr const char* kDataException = "22000";
inline constexpr const char* kInvalidTextRepresentation = "22P02";
inline constexpr const char* kInvalidDatetimeFormat = "22007";
inline constexpr const char* kDivisionByZero = "22012";
inline constexpr const char* kUniqueViolation = "23505";  // duplicates in input
inline constexpr const char* kDatatypeMismatch = "42804";
inline constexpr const char* kUndefinedObject = "42704";
inline constexpr const char* kUndefinedColumn = "42703";
inline constexpr const char* kWrongObjectType = "42809";
inline constexpr const char* kInsufficientPrivilege = "42501";
inline constexpr const char* kCharacterNotInRepertoire = "22021";
inline constexpr const char* kFeatureNotSupported = "0A000";
inline constexpr const char* kObjectNotInPrerequisiteState = "55000";
inline constexpr const char* kConfigFileError = "F0000";
inline constexpr const char* kOutOfMemory = "53200";
inline constexpr const char* kDataCorrupted = "XX001";
inline constexpr const char* kInternalError = "XX000";
inline constexpr const char* kQueryCanceled = "57014";
inline constexpr const char* kInsufficientResources = "53000";
inline constexpr const char* kProgramLimitExceeded = "54000";
inline constexpr const char* kDuplicateTable = "42P07";        // an output table of another shape
inline constexpr const char* kNameTooLong = "42622";
inline constexpr const char* kCardinalityViolation = "21000";  // a key given twice where once is expected
}  // namespace sqlstate

class Error : public std::runtime_error {
 public:
  Error(const char* code, std::string message, std::string detail = {}, std::string hint = {})
      : std::runtime_error(message), code_(code), detail_(std::move(detail)), hint_(std::move(hint)) {}

  const char* sqlstate() const noexcept { return code_; }
  const std::string& detail() const noexcept { return detail_; }
  const std::string& hint() const noexcept { return hint_; }

 private:
  const char* code_;  // always one of the static strings above
  std::string detail_;
  std::string hint_;
};

// Shorthands for the common cases.
[[noreturn]] inline void invalid_parameter(std::string msg, std::string detail = {}, std::string hint = {}) {
  throw Error(sqlstate::kInvalidParameterValue, std::move(msg), std::move(detail), std::move(hint));
}
[[noreturn]] inline void data_error(std::string msg, std::string detail = {}, std::string hint = {}) {
  throw Error(sqlstate::kDataException, std::move(msg), std::move(detail), std::move(hint));
}
[[noreturn]] inline void corrupted(std::string msg, std::string detail = {}, std::string hint = {}) {
  throw Error(sqlstate::kDataCorrupted, std::move(msg), std::move(detail), std::move(hint));
}

// A number as messages show it: the shortest text that reads back as the same
// double (1, 0.25, 1e+20, nan), as PostgreSQL prints a float8, instead of
// std::to_string's fixed six decimals ("1.000000", "0.000000" for 1e-9).
inline std::string number_text(double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

// Thrown when a should_stop callback asks long work to stop. The guard lets
// PostgreSQL raise its own cancel error (statement timeout, user request).
class Cancelled : public std::exception {
 public:
  const char* what() const noexcept override { return "computation cancelled"; }
};

}  // namespace supplyml
