# R forecast::ets (automatic) on the M4 long-form training file.
#   Rscript peer_r_ets.R TRAIN_CSV OUT_CSV FREQ SEASON HORIZON THREADS [N] [MODEL]
# N: only the first N series of the file (all by default). MODEL: ets
# (default), auto.arima, or auto.arima-exact (auto.arima(approximation = FALSE),
# the exact-likelihood search on every series).
# Writes (source, freq, id, step, point) rows; prints the elapsed and the CPU
# time (of R and its worker processes) with series per second of each.
suppressMessages({library(forecast); library(parallel)})
a <- commandArgs(trailingOnly = TRUE)
freq <- a[3]; m <- as.integer(a[4]); h <- as.integer(a[5]); threads <- as.integer(a[6])
d <- read.csv(a[1], header = FALSE, col.names = c("freq", "id", "t", "y"))
d <- d[d$freq == freq, ]
ids <- unique(d$id)
if (length(a) >= 7 && nzchar(a[7])) ids <- head(ids, as.integer(a[7]))
d <- d[d$id %in% ids, ]
ys <- split(d$y[order(d$id, d$t)], d$id[order(d$id, d$t)])
model <- if (length(a) >= 8) a[8] else "ets"
fit <- switch(model, auto.arima = auto.arima, ets = ets,
              "auto.arima-exact" = function(y) auto.arima(y, approximation = FALSE))
label <- paste("R", model)
cpu <- function() sum(proc.time()[c("user.self", "sys.self", "user.child", "sys.child")])
t0 <- proc.time()[["elapsed"]]; c0 <- cpu()
fcs <- mclapply(ys, function(y) as.numeric(forecast(fit(ts(y, frequency = m)), h = h, PI = FALSE)$mean),
                mc.cores = threads)
secs <- proc.time()[["elapsed"]] - t0; cpu_secs <- cpu() - c0
out <- do.call(rbind, lapply(names(fcs), function(id)
  data.frame(source = label, freq = freq, id = id, step = seq_len(h), point = fcs[[id]])))
write.table(out, a[2], sep = ",", row.names = FALSE, col.names = FALSE, append = TRUE, quote = FALSE)
cat(sprintf("%s %s: %d series in %.2f s = %.2f series/s (%d processes); CPU %.2f s = %.3f series per CPU second\n",
            label, freq, length(ys), secs, length(ys) / secs, threads, cpu_secs, length(ys) / cpu_secs))
