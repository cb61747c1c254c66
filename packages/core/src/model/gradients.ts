/**
 * tfjs-core 4.x ships its gradient definitions separately, as extensionless ES modules that Node
 * cannot load (the `@tensorflow/tfjs` umbrella bundles them). Without them `tf.grad` fails with
 * "gradient function not found". Our build bundles them into dist/vendor (see
 * scripts/bundle-tfjs-gradients.mjs); Jest maps this import to tfjs-core's own modules.
 * Imported by the encoder, so anything that trains has them.
 */
import '../vendor/tfjs-gradients.js';
