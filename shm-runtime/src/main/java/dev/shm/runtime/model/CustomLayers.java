package dev.shm.runtime.model;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Our subclasses of DL4J's layer configurations, which keep DL4J's settings and parameters and change the runtime. */
final class CustomLayers {
    private CustomLayers() {
    }

    /** {@code target} with every field of {@code source}, a configuration of a class {@code target} extends. */
    static <T> T copyInto(Object source, T target) {
        if (!source.getClass().isAssignableFrom(target.getClass())) {
            throw new IllegalArgumentException(target.getClass().getSimpleName() + " does not extend "
                    + source.getClass().getSimpleName());
        }
        for (Class<?> type = source.getClass(); type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                field.setAccessible(true);
                try {
                    field.set(target, field.get(source));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot copy " + type.getSimpleName() + "." + field.getName(), e);
                }
            }
        }
        return target;
    }

    /** A runtime layer set up as DL4J's own configurations set theirs up in {@code instantiate}. */
    static Layer wire(Layer layer, NeuralNetConfiguration conf, ParamInitializer initializer,
            Collection<TrainingListener> listeners, int layerIndex, INDArray layerParamsView, boolean initializeParams) {
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        layer.setParamTable(initializer.init(conf, layerParamsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }
}
