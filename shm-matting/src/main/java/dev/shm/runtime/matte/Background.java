package dev.shm.runtime.matte;

import dev.shm.runtime.ShmException;
import dev.shm.runtime.image.Codecs;
import dev.shm.runtime.image.Matte;
import dev.shm.runtime.image.Raster;
import dev.shm.runtime.image.Resize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What a matted photo is composited on: one colour, or an image scaled to cover the photo and centred. */
public final class Background {
    private final byte[] colour;
    private final Raster image;
    private final String description;

    private Background(byte[] colour, Raster image, String description) {
        this.colour = colour;
        this.image = image;
        this.description = description;
    }

    /** Whether {@code text} names a colour, {@code #RRGGBB} or {@code RRGGBB}, rather than an image file. */
    public static boolean isColour(String text) {
        return text.trim().matches("#?[0-9a-fA-F]{6}");
    }

    /** A colour as {@link #isColour} reads it, anything else as an image file. */
    public static Background parse(String text) {
        String value = text.trim();
        if (isColour(value)) {
            int rgb = Integer.parseInt(value.replace("#", ""), 16);
            return new Background(new byte[] {(byte) (rgb >> 16), (byte) (rgb >> 8), (byte) rgb}, null,
                    "#" + value.replace("#", "").toLowerCase(Locale.ROOT));
        }
        Path file = Path.of(value);
        Raster raster;
        try {
            raster = Codecs.decodeRgb(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new ShmException("The background " + file + " cannot be read (" + e.getMessage() + "); give a "
                    + "colour as #RRGGBB or an image file");
        }
        if (raster == null) {
            throw new ShmException("The background " + file + " is not a readable JPEG, PNG, WebP or BMP image; give "
                    + "a colour as #RRGGBB or an image file");
        }
        return new Background(null, raster, file.toAbsolutePath() + " (" + raster.size() + ")");
    }

    /** The colour or the image file, for logs and fingerprints. */
    public String describe() {
        return description;
    }

    /** {@code alpha * photo + (1 - alpha) * background}, RGB at the photo's size. */
    public Raster behind(Raster rgb, Matte alpha) {
        Raster back = image == null ? null : cover(image, rgb.width(), rgb.height());
        int pixels = rgb.width() * rgb.height();
        byte[] out = new byte[pixels * 3];
        byte[] front = rgb.data();
        float[] a = alpha.values();
        for (int i = 0; i < pixels; i++) {
            float weight = Math.min(1f, Math.max(0f, a[i]));
            for (int c = 0; c < 3; c++) {
                int behind = back == null ? colour[c] & 0xFF : back.data()[i * 3 + c] & 0xFF;
                out[i * 3 + c] = (byte) Math.round(weight * (front[i * 3 + c] & 0xFF) + (1 - weight) * behind);
            }
        }
        return new Raster(rgb.width(), rgb.height(), 3, out);
    }

    /** The image scaled (keeping its aspect) to cover width x height, and the centre cut out. */
    static Raster cover(Raster image, int width, int height) {
        double scale = Math.max((double) width / image.width(), (double) height / image.height());
        int scaledWidth = Math.max(width, (int) Math.ceil(image.width() * scale));
        int scaledHeight = Math.max(height, (int) Math.ceil(image.height() * scale));
        Raster scaled = Resize.to(image, scaledWidth, scaledHeight, Resize.Interpolation.LINEAR);
        return Resize.crop(scaled, (scaledWidth - width) / 2, (scaledHeight - height) / 2, width, height);
    }
}
