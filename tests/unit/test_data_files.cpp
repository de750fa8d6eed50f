// The unit tests' data lives in the repository (tests/data, tests/fixtures):
// a missing file is a failure that names it, never an empty read or a crash.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "forecast_test_data.hpp"
#include "routing_data.hpp"

TEST(DataFiles, MissingFileFailsNamingIt) {
  const std::string path = test_files::data("no_such_folder/missing.csv");
  try {
    forecast_test::read_csv(path);
    FAIL() << "reading a missing file did not throw";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
  EXPECT_THROW(routing_data::read_tsp("no_such_instance"), std::runtime_error);
  EXPECT_THROW(routing_data::read_solomon("no_such_instance"), std::runtime_error);
}

// The data folder is inside the source tree, so a clone with nothing beside
// it has every file the tests read.
TEST(DataFiles, DataFolderIsInsideTheSourceTree) {
  const std::string source = SML_SOURCE_DIR, data = SML_DATA_DIR;
  ASSERT_EQ(data.rfind(source + "/", 0), 0u) << data << " is outside " << source;
  EXPECT_EQ(data.find(".."), std::string::npos) << data;
  EXPECT_NO_THROW(test_files::open(test_files::data("airpassengers/AirPassengers_monthly.csv")));
}
