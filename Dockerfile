# One image for the action server and the Rasa replicas (docker-compose.yml). The trained model
# must be in models/bot.tar.gz before building (scripts/run.sh or scripts/test.sh trains it).
FROM python:3.10-slim
WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir "pip==24.3.1" && pip install --no-cache-dir -r requirements.lock
COPY . .
ENV PYTHONPATH=/app RASA_TELEMETRY_ENABLED=false
EXPOSE 5005 5055 8089
