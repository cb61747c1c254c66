// Published data sets the stats tests check against (values copied from the cited sources).

/**
 * R's datasets::sleep (Cushny & Peebles 1905, as in Student 1908): extra hours of sleep of the
 * same 10 patients under drug 1 (group 1) and drug 2 (group 2). The data of R's ?t.test examples.
 */
export const SLEEP_GROUP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
export const SLEEP_GROUP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

/** 1:10 and 7:20 from R's ?t.test examples ("t.test(1:10, y = c(7:20))  # P = .00001855"). */
export const ONE_TO_TEN = Array.from({ length: 10 }, (_, i) => i + 1);
export const SEVEN_TO_TWENTY = Array.from({ length: 14 }, (_, i) => i + 7);

/**
 * Hollander & Wolfe (1973), p. 29f: Hamilton depression scale of 9 patients at the first (x)
 * and second (y) visit after the start of a therapy; the paired example of R's ?wilcox.test.
 */
export const HW_DEPRESSION_X = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
export const HW_DEPRESSION_Y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];

/**
 * Darwin's corn-plant data as given by Wilcoxon (1945): height differences between cross- and
 * self-fertilized plants; the example in scipy.stats.wilcoxon's documentation.
 */
export const CORN_DIFFERENCES = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75];
