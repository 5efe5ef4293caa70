/**
 * The R kernel, run as `Rscript --vanilla -e R_KERNEL <token>`. Embedded as a string so it ships
 * inside dist/ with no copy step. Protocol: see tools/kernels/protocol.ts.
 *
 * Cells are evaluated in the global environment, so variables and functions persist. As at the R
 * console, each top-level expression's visible value is printed; the last one is the main result
 * instead. Warnings go to stderr as they happen; SIGINT interrupts a running cell.
 */
export const R_KERNEL = String.raw`
local({
  args <- commandArgs(trailingOnly = TRUE)
  token <- args[length(args)]
  json <- function(s) {
    s <- paste(s, collapse = "\n")
    s <- gsub("\\", "\\\\", s, fixed = TRUE)
    s <- gsub("\"", "\\\"", s, fixed = TRUE)
    s <- gsub("\n", "\\n", s, fixed = TRUE)
    s <- gsub("\r", "\\r", s, fixed = TRUE)
    s <- gsub("\t", "\\t", s, fixed = TRUE)
    s <- gsub("[[:cntrl:]]", " ", s)
    paste0("\"", s, "\"")
  }
  reply <- function(body) {
    flush(stdout())
    cat(token, file = stderr())
    flush(stderr())
    cat(token, body, "\n", sep = "")
    flush(stdout())
  }
  run <- function(code) {
    main <- NULL
    error <- ""
    tryCatch(withCallingHandlers({
      exprs <- parse(text = code, keep.source = FALSE)
      n <- length(exprs)
      for (i in seq_len(n)) {
        res <- withVisible(eval(exprs[[i]], envir = globalenv()))
        if (res$visible) {
          if (i == n) main <- paste(utils::capture.output(print(res$value)), collapse = "\n")
          else print(res$value)
        }
      }
    }, warning = function(w) {
      message("Warning message: ", conditionMessage(w))
      invokeRestart("muffleWarning")
    }), error = function(e) {
      call <- conditionCall(e)
      # A stop() at the cell's top level reports the kernel's own eval() call: leave it out.
      if (!is.null(call) && identical(call[[1]], quote(eval))) call <- NULL
      error <<- paste0("Error", if (!is.null(call)) paste0(" in ", paste(deparse(call), collapse = " ")) else "", ": ", conditionMessage(e))
    }, interrupt = function(i) {
      error <<- "KeyboardInterrupt"
    })
    results <- if (is.null(main)) "[]" else paste0("[{\"text/plain\":", json(main), ",\"isMainResult\":true}]")
    paste0("{\"results\":", results, ",\"error\":", json(error), "}")
  }
  input <- file("stdin", open = "r")
  reply(paste0("{\"ready\":true,\"version\":", json(paste(R.version$major, R.version$minor, sep = ".")), "}"))
  lines <- character(0)
  repeat {
    line <- tryCatch(readLines(input, n = 1, warn = FALSE), interrupt = function(i) NA)
    if (length(line) == 0) break
    if (is.na(line)) next
    if (startsWith(line, paste0(token, " "))) {
      body <- run(paste(lines, collapse = "\n"))
      lines <- character(0)
      reply(body)
    } else {
      lines <- c(lines, line)
    }
  }
})
`;
