package org.nd4j.nativeblas;

/**
 * Answers DL4J 1.0.0-M2.1's look-up of the oneDNN switch. Its layer helpers ask for
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment#isUseMKLDNN()} by reflection, a class the same release of ND4J
 * ships as {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment#isUseONEDNN()}; without this class
 * the look-up fails and every convolution, batch normalisation and pooling layer falls back to DL4J's Java
 * im2col/broadcast code (3x slower training here). It only forwards to the native switch.
 */
public final class Nd4jCpu {
    private Nd4jCpu() {
    }

    /** The part of the old binding DL4J reads. */
    public static final class Environment {
        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        public boolean isUseMKLDNN() {
            return org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN();
        }
    }
}
