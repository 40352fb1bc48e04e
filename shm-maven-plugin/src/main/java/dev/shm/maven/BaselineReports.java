package dev.shm.maven;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.project.MavenProject;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;

/** Eval reports as Maven artifacts: the classifier shm:eval attaches them with, and baselines found by coordinates. */
final class BaselineReports {
    /** The classifier of the attached report.json. */
    static final String CLASSIFIER = "eval-report";

    private BaselineReports() {
    }

    /**
     * The baseline report: {@code null} when unset, a file (relative to {@code baseDir}), or the report attached by
     * the build {@code groupId:artifactId:version} (the last release, say), fetched like any artifact.
     */
    static Path resolve(String baseline, Path baseDir, MavenSession session, MavenProject project,
            RepositorySystem repositorySystem, Log log) throws MojoFailureException {
        if (baseline == null || baseline.isBlank()) {
            return null;
        }
        Path file = baseDir.resolve(baseline);
        String[] coordinates = baseline.split(":");
        if (Files.exists(file) || coordinates.length != 3) {
            return file;
        }
        ArtifactRequest request = new ArtifactRequest(new DefaultArtifact(coordinates[0], coordinates[1], CLASSIFIER,
                "json", coordinates[2]), project.getRemoteProjectRepositories(), null);
        try {
            Path resolved = repositorySystem.resolveArtifact(session.getRepositorySession(), request).getArtifact()
                    .getFile().toPath();
            log.info("shm:eval baseline " + baseline + " resolved to " + resolved);
            return resolved;
        } catch (ArtifactResolutionException e) {
            throw new MojoFailureException("The baseline " + baseline + " is neither a file nor a report attached as "
                    + coordinates[0] + ":" + coordinates[1] + ":json:" + CLASSIFIER + ":" + coordinates[2] + " ("
                    + e.getMessage() + "); give a report.json or the coordinates of a build that ran shm:eval", e);
        }
    }
}
