# One image for the action server and the Rasa replicas (docker-compose.yml). The trained model
# must be in models/bot.tar.gz before building (scripts/run.sh or scripts/test.sh trains it).
# .dockerignore keeps .env, var/ and local databases out: secrets come from the environment.
FROM python:3.10-slim
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin postsale
WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir "pip==24.3.1" && pip install --no-cache-dir -r requirements.lock
COPY --chown=postsale:postsale . .
RUN mkdir -p var && chown postsale:postsale var && chmod 700 var
ENV PYTHONPATH=/app RASA_TELEMETRY_ENABLED=false
USER postsale
EXPOSE 5005 5055
