package io.hubbletopology.deploy.logging;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import io.hubbletopology.config.ConfigKey;

/**
 * How every role writes its log: {@code text} (one readable line, the default on a terminal) or {@code json}
 * (one JSON object per line, for a log pipeline). Chosen by {@code --log-format} or {@code LOG_FORMAT}.
 *
 * <pre>{@code
 * LogFormat.KEY.parser().apply("json").apply();   // from here on the console appender writes JSON lines
 * }</pre>
 */
public enum LogFormat {
    TEXT,
    JSON;

    public static final ConfigKey<LogFormat> KEY = ConfigKey.oneOf("log.format", "LOG_FORMAT", "text", LogFormat.class,
            "How every role logs to stderr: text (one line per event) or json (one JSON object per line: @timestamp, "
                    + "level, logger, thread, message, stack_trace). Environment or --log-format only.")
            .withOption("--log-format", "text|json");

    /** Name of the appender in logback.xml whose encoder this switches. */
    static final String APPENDER = "console";

    /** Switches the console appender of logback.xml to this format; text leaves the file's pattern as it is. */
    public void apply() {
        if (this == TEXT || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Appender<ILoggingEvent> appender = context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(APPENDER);
        if (!(appender instanceof OutputStreamAppender<ILoggingEvent> console)) {
            return;
        }
        JsonLineLayout layout = new JsonLineLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        console.setEncoder(encoder);
    }
}
