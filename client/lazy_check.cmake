# SPDX-License-Identifier: Apache-2.0
# Run after linking the telex CLI (client/CMakeLists.txt): fails the build when
# one of the libraries telex_lazy.c loads on first use is DT_NEEDED again, which
# is what calling one of their functions that telex_lazy.c does not define does.
# -DBIN=the telex binary -DOBJDUMP=objdump -DSONAMES=a,b,c
execute_process(COMMAND ${OBJDUMP} -p ${BIN} OUTPUT_VARIABLE dump RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "lazy_check: cannot read ${BIN}")
endif()
string(REPLACE "," ";" sonames "${SONAMES}")
foreach(so ${sonames})
  string(REPLACE "." "\\." re "${so}")
  if(dump MATCHES "NEEDED +${re}")
    message(FATAL_ERROR "telex links ${so} at start-up again: a function of it is called that "
                        "client/telex_lazy.c does not define (add it to S_FUNCS there)")
  endif()
endforeach()
