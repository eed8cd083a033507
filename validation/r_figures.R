# Kaplan-Meier figures drawn by R itself, for measuring mmsurv's digitizer on figures it
# did not draw, in the styles published papers use: base R's plot.survfit (numbers at
# risk written under the axis with mtext, as many papers do; with R's defaults: y labels
# turned, an L-shaped box; with the confidence limits in the arm's colour and line
# type; in black with the arms told apart by line type only, as many journals print),
# rms's survplot (its numbers at risk, grey confidence bands, labels on the curves) and
# survminer's ggsurvplot (risk table, censor ticks, p-value and legend inside the plot;
# with confidence bands, theme_bw and the table in numbers and percent; with a percent
# axis, theme_grey and days shown as months), from real data sets of R's survival
# package, saved as PDF, SVG, PNG (150 dpi) and JPEG (100 dpi); base R also as PNG at
# 300 and 72 dpi.
#
# Usage (R with the survival, survminer, rms and svglite packages; Debian: r-base-core,
# r-cran-survival, r-cran-survminer, r-cran-rms, r-cran-svglite):
#
#     Rscript validation/r_figures.R tests/data/r_figures
#
# Writes, per data set, <name>.csv (arm, time, event: the true patients) and per figure
# <name>-<style>.<format>, and manifest.csv (one row per figure: its data set, style,
# format, the values of the first and last tick marks of each axis, the time axis's
# ticks, the arm labels and colours in legend order). validation/r_figures.py reads them back.

suppressPackageStartupMessages({
  library(survival)
  library(survminer)
  library(svglite)
  library(rms)
})

args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) >= 1) args[[1]] else "tests/data/r_figures"
dir.create(out, recursive = TRUE, showWarnings = FALSE)

month <- 365.25 / 12
sets <- list(
  lung = with(lung, data.frame(
    arm = ifelse(sex == 1, "Male", "Female"), time = time / month, event = as.integer(status == 2)
  )),
  veteran = with(veteran, data.frame(
    arm = ifelse(trt == 1, "Standard", "Test"), time = time / month, event = status
  )),
  aml = with(aml, data.frame(
    arm = ifelse(x == "Maintained", "Maintained", "Nonmaintained"), time = time, event = status
  )),
  colon = with(subset(colon, etype == 2), data.frame(
    arm = as.character(rx), time = time / 365.25, event = status
  ))
)
units <- c(lung = "Months", veteran = "Months", aml = "Weeks", colon = "Years")
steps <- c(lung = 6, veteran = 6, aml = 20, colon = 2)
palettes <- list(
  base = c("#D62728", "#1F77B4", "#2CA02C"),
  survminer = c("#E7B800", "#2E9FDF", "#FC4E07")
)

tick_end <- function(times, step) step * ceiling(max(times) / step)

# conf.int: the confidence limits drawn in the arm's colour and, lty being given, its
# line type (solid); mono: every arm black, told apart by line type only
base_figure <- function(d, name, conf.int = FALSE, mono = FALSE) {
  fit <- survfit(Surv(time, event) ~ arm, data = d)
  groups <- sub("^arm=", "", names(fit$strata))
  cols <- if (mono) rep("#000000", length(groups)) else palettes$base[seq_along(groups)]
  ltys <- if (mono) seq_along(groups) else rep(1, length(groups))
  x_end <- tick_end(d$time, steps[[name]])
  ticks <- seq(0, x_end, by = steps[[name]])
  par(mar = c(4 + 1.2 * length(groups) + 1, 9, 1, 1))
  plot(fit, col = cols, lty = ltys, lwd = 2, mark.time = TRUE, conf.int = conf.int,
       xlim = c(0, x_end), xaxt = "n", xlab = units[[name]], ylab = "Survival probability",
       las = 1)
  axis(1, at = ticks)
  legend("topright", legend = groups, col = cols, lty = ltys, lwd = 2, bty = "n")
  mtext("Number at risk", side = 1, line = 4, adj = 1, at = -0.05 * x_end, cex = 0.8)
  for (k in seq_along(groups)) {
    times <- d$time[d$arm == groups[k]]
    n <- vapply(ticks, function(t) sum(times >= t), numeric(1))
    mtext(groups[k], side = 1, line = 4 + 1.2 * k, at = -0.05 * x_end, adj = 1, cex = 0.8,
          col = cols[k])
    mtext(n, side = 1, line = 4 + 1.2 * k, at = ticks, cex = 0.8)
  }
  list(groups = groups, cols = cols, x_end = x_end)
}

# base R's defaults (y tick labels turned a quarter, as R sets them), with the L-shaped
# box of bty = "l", and neither legend nor numbers at risk
plain_figure <- function(d, name) {
  fit <- survfit(Surv(time, event) ~ arm, data = d)
  groups <- sub("^arm=", "", names(fit$strata))
  cols <- palettes$base[seq_along(groups)]
  x_end <- tick_end(d$time, steps[[name]])
  plot(fit, col = cols, bty = "l", xlim = c(0, x_end), xaxt = "n", xlab = units[[name]])
  axis(1, at = seq(0, x_end, by = steps[[name]]))
  list(groups = groups, cols = cols, x_end = x_end)
}

survminer_figure <- function(d, name) {
  fit <- survfit(Surv(time, event) ~ arm, data = d)
  groups <- sub("^arm=", "", names(fit$strata))
  cols <- palettes$survminer[seq_along(groups)]
  x_end <- tick_end(d$time, steps[[name]])
  plot <- ggsurvplot(
    fit, data = d, palette = cols, risk.table = TRUE, pval = TRUE, censor.shape = "|",
    legend.labs = groups, legend.title = "", xlim = c(0, x_end),
    break.time.by = steps[[name]], xlab = units[[name]], risk.table.height = 0.25,
    tables.y.text = name %in% c("lung", "veteran"), tables.col = "strata"
  )
  print(plot, newpage = FALSE)
  list(groups = groups, cols = cols, x_end = x_end)
}

# rms's survplot: numbers at risk under the axis, grey
# confidence bands, labels written beside the curves (stratum names at the right)
rms_figure <- function(d, name) {
  fit <- npsurv(Surv(time, event) ~ arm, data = d)
  groups <- sub("^arm=", "", names(fit$strata))
  cols <- palettes$base[seq_along(groups)]
  x_end <- tick_end(d$time, steps[[name]])
  par(mar = c(4 + 1.2 * length(groups) + 1, 5, 1, 6))
  survplot(fit, n.risk = TRUE, levels.only = TRUE, col = cols, lwd = 2, time.inc = steps[[name]],
           xlim = c(0, x_end), xlab = units[[name]], ylab = "Survival probability",
           y.n.risk = -0.35, cex.n.risk = 0.8)
  list(groups = groups, cols = cols, x_end = x_end)
}

# survminer with confidence bands, theme_bw's grey grid and frame, and the risk table
# in numbers and percent ("228 (100)")
survminer_ci_figure <- function(d, name) {
  fit <- survfit(Surv(time, event) ~ arm, data = d)
  groups <- sub("^arm=", "", names(fit$strata))
  cols <- palettes$survminer[seq_along(groups)]
  x_end <- tick_end(d$time, steps[[name]])
  plot <- ggsurvplot(
    fit, data = d, palette = cols, conf.int = TRUE, risk.table = "abs_pct",
    ggtheme = theme_bw(), legend.labs = groups, legend.title = "", xlim = c(0, x_end),
    break.time.by = steps[[name]], xlab = units[[name]], risk.table.height = 0.25,
    tables.y.text = TRUE
  )
  print(plot, newpage = FALSE)
  list(groups = groups, cols = cols, x_end = x_end)
}

# survminer with a percent survival axis, theme_grey's grey panel and white grid, and
# times given in days shown in months (xscale = "d_m")
survminer_pct_figure <- function(d, name) {
  days <- transform(d, time = time * month)
  fit <- survfit(Surv(time, event) ~ arm, data = days)
  groups <- sub("^arm=", "", names(fit$strata))
  cols <- palettes$survminer[seq_along(groups)]
  x_end <- tick_end(d$time, steps[[name]])
  plot <- ggsurvplot(
    fit, data = days, palette = cols, fun = "pct", risk.table = TRUE, pval = TRUE,
    ggtheme = theme_grey(), legend.labs = groups, legend.title = "",
    xlim = c(0, x_end * month), break.time.by = steps[[name]] * month, xscale = "d_m",
    xlab = units[[name]], risk.table.height = 0.25, tables.y.text = FALSE,
    tables.col = "strata"
  )
  print(plot, newpage = FALSE)
  list(groups = groups, cols = cols, x_end = x_end, y_last = 100)
}

styles <- list(
  base = base_figure, plain = plain_figure, survminer = survminer_figure,
  ci = function(d, name) base_figure(d, name, conf.int = TRUE),
  mono = function(d, name) base_figure(d, name, mono = TRUE),
  rms = rms_figure, survminer_ci = survminer_ci_figure, survminer_pct = survminer_pct_figure,
  base_300dpi = base_figure, base_72dpi = base_figure
)
#: the data sets of each style (two a style beyond the first three, to keep the set small)
style_sets <- list(
  ci = c("lung", "aml"), mono = c("veteran", "aml"), rms = c("lung", "veteran"),
  survminer_ci = c("lung", "aml"), survminer_pct = c("lung", "veteran"),
  base_300dpi = c("aml"), base_72dpi = c("lung", "aml")
)
formats <- list(
  pdf = function(path) pdf(path, width = 7, height = 6),
  svg = function(path) svglite(path, width = 7, height = 6),
  png = function(path) png(path, width = 7, height = 6, units = "in", res = 150),
  jpg = function(path) jpeg(path, width = 7, height = 6, units = "in", res = 100, quality = 85)
)
#: the formats of each style when not all four
style_formats <- list(
  base_300dpi = list(
    png = function(path) png(path, width = 7, height = 6, units = "in", res = 300)
  ),
  base_72dpi = list(
    png = function(path) png(path, width = 7, height = 6, units = "in", res = 72)
  )
)

manifest <- list()
for (name in names(sets)) {
  d <- sets[[name]]
  write.csv(d, file.path(out, paste0(name, ".csv")), row.names = FALSE)
  for (style in names(styles)) {
    if (!is.null(style_sets[[style]]) && !(name %in% style_sets[[style]])) next
    devices <- if (is.null(style_formats[[style]])) formats else style_formats[[style]]
    for (format in names(devices)) {
      file <- paste0(name, "-", style, ".", format)
      devices[[format]](file.path(out, file))
      drawn <- styles[[style]](d, name)
      invisible(dev.off())
      manifest[[length(manifest) + 1]] <- data.frame(
        figure = file, dataset = name, style = style, format = format,
        x_first = 0, x_last = drawn$x_end, y_first = 0,
        y_last = if (is.null(drawn$y_last)) 1 else drawn$y_last,
        x_ticks = paste(seq(0, drawn$x_end, by = steps[[name]]), collapse = ";"),
        unit = tolower(units[[name]]),
        labels = paste(drawn$groups, collapse = ";"), colours = paste(drawn$cols, collapse = ";")
      )
    }
  }
}
write.csv(do.call(rbind, manifest), file.path(out, "manifest.csv"), row.names = FALSE)
