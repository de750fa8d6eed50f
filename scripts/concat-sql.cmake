# Concatenates the install-script parts (sql/*.sql, in name order) into one file.
file(WRITE ${OUT} "-- supplyml install script, assembled from sql/*.sql; edit those files.\n")
file(APPEND ${OUT} "\\echo Use \"CREATE EXTENSION supplyml\" to load this file. \\quit\n")
foreach(part ${PARTS})
  get_filename_component(name ${part} NAME)
  file(READ ${part} text)
  file(APPEND ${OUT} "\n-- ==== sql/${name} ====\n${text}")
endforeach()
